//! The classifier alone, in this process (`scripts/bench` prints it after the table): 1 MiB of
//! end-of-turn prose that makes no promise, so every sentence is read, timed against the
//! do-nothing binary's whole run, with a quarter of it to show the time per byte stays the
//! same (linear), and the allocations one pass makes (allocation-light: a few growing
//! buffers, none per word).

use std::{
    alloc::{GlobalAlloc, Layout, System},
    hint::black_box,
    sync::atomic::{AtomicUsize, Ordering::Relaxed},
    time::{Duration, Instant},
};

/// The size classified: far beyond any real message (the hook reads a bounded stdin).
const BYTES: usize = 1 << 20;

/// Counts allocations (and their bytes) made through the global allocator.
struct Counting;

static ALLOCS: AtomicUsize = AtomicUsize::new(0);
static ALLOC_BYTES: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the counters are atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        ALLOC_BYTES.fetch_add(layout.size(), Relaxed);
        // SAFETY: the caller upholds `alloc`'s contract, which we pass on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout` (through `alloc` above).
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        ALLOC_BYTES.fetch_add(new_size, Relaxed);
        // SAFETY: as for `dealloc`, and the caller upholds `realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Classifies `prose` repeated to 1 MiB (and a quarter of that) `runs` times each, and prints
/// the medians beside `noop` (the do-nothing binary's median whole run).
pub(crate) fn report(prose: &str, noop: Duration, runs: usize) -> Result<(), String> {
    let text = repeat_to(prose, BYTES);
    let quarter = &text[..floor_char_boundary(&text, BYTES / 4)];
    if let Some(claim) = instar_hooks::action_claim::classify(&text) {
        return Err(format!(
            "classify-only: the prose must make no promise, but it claims {:?}",
            claim.phrase
        ));
    }
    let runs = runs.clamp(5, 50);
    let full = median_of(runs, || {
        black_box(instar_hooks::action_claim::classify(black_box(&text)));
    });
    let part = median_of(runs, || {
        black_box(instar_hooks::action_claim::classify(black_box(quarter)));
    });
    let (allocs, bytes) = allocations(|| {
        black_box(instar_hooks::action_claim::classify(black_box(&text)));
    });
    let per_byte = |d: Duration, n: usize| d.as_secs_f64() / n as f64;
    println!();
    println!("classify only (in-process, {runs} runs, no promise in the text):");
    println!(
        "info  {} KiB: median {:.2} ms = {:.2}× (a)'s whole run",
        text.len() / 1024,
        full.as_secs_f64() * 1e3,
        full.as_secs_f64() / noop.as_secs_f64()
    );
    println!(
        "info  {} KiB: median {:.2} ms; time per byte, 1 MiB over ¼ MiB = {:.2} (1.00 is linear)",
        quarter.len() / 1024,
        part.as_secs_f64() * 1e3,
        per_byte(full, text.len()) / per_byte(part, quarter.len())
    );
    println!(
        "info  allocations in one pass over {} KiB: {allocs} ({} KiB in all)",
        text.len() / 1024,
        bytes / 1024
    );
    Ok(())
}

fn repeat_to(unit: &str, bytes: usize) -> String {
    let mut text = unit.repeat(bytes / unit.len() + 1);
    text.truncate(floor_char_boundary(&text, bytes));
    text
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn median_of(runs: usize, mut f: impl FnMut()) -> Duration {
    f(); // warm-up: caches and the allocator settle
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn allocations(f: impl FnOnce()) -> (usize, usize) {
    let (n, b) = (ALLOCS.load(Relaxed), ALLOC_BYTES.load(Relaxed));
    f();
    (ALLOCS.load(Relaxed) - n, ALLOC_BYTES.load(Relaxed) - b)
}
