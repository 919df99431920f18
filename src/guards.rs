/*!
Guard posture: for every guard this project owns, is it on, off, or silently not doing its
job? Nothing may be silently disabled.

- [`manifest`]: the guards, as data (instar's resume-queue entry and our action-claim
  sentinel).
- [`posture`]: instar's nine states and their precedence, as a pure function.
- [`inventory`]: the facts gathered at read time for each guard (the hooks' own run status
  among them: [`crate::run_status`]), and the one aggregated
  attention item.
*/

pub mod inventory;
pub mod manifest;
pub mod posture;

pub use inventory::{Inventory, build};
