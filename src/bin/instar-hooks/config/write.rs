//! `config set` and `config unset`: which file changes, the change, and whether it takes
//! effect in this project.

use super::*;

impl Ctx {
    /// The file `set`/`unset` edit.
    fn target(&self, which: Option<Which>) -> Result<PathBuf, Error> {
        match which.unwrap_or(if self.is_agent() {
            Which::Project
        } else {
            Which::User
        }) {
            Which::User => self.user_file(),
            Which::Project if self.is_agent() => Ok(self.project_file()),
            Which::Project => Err(usage(format!(
                "--project needs {}/.instar/, and this command does not create it: a project \
                 with .instar/ is an instar agent, whose hook state then lives inside the \
                 repository; use --user (every project), or create .instar/ yourself \
                 (nothing was changed)",
                self.project.display()
            ))),
        }
    }

    pub(super) fn set(&self, key: &str, raw: &str, which: Option<Which>) -> Result<Outcome, Error> {
        let value = edit::parse_cli_value(raw);
        let file = self.target(which)?;
        if let Some(k) = config::key(key) {
            if !k.accepts(&value) {
                return Err(usage(format!(
                    "{key} must be {}, not {value} (nothing was changed)",
                    k.expects
                )));
            }
            if k.project_only && file != self.project_file() {
                return Err(usage(format!(
                    "{key} is read from the project's {} only; use --project (nothing was changed)",
                    config::PROJECT_CONFIG
                )));
            }
        }
        let updated = edit::update_file(&file, |doc| {
            if key == "actionClaim.enabled"
                && let Value::Bool(on) = value
            {
                // Moves instar's legacy `messaging.actionClaim` block up, as instar-migrate does.
                edit::set_action_claim_enabled(doc, on).map(|_| ())
            } else {
                edit::set(doc, key, value.clone())
            }
        })?;
        self.changed(key, Some(&value), updated)
    }

    pub(super) fn unset(&self, key: &str, which: Option<Which>) -> Result<Outcome, Error> {
        let file = self.target(which)?;
        if !file.exists() {
            return self.changed(
                key,
                None,
                edit::Updated {
                    value: (),
                    written: false,
                    path: file,
                },
            );
        }
        let updated = edit::update_file(&file, |doc| {
            edit::unset(doc, key);
            Ok(())
        })?;
        self.changed(key, None, updated)
    }

    /// The report of `set`/`unset`, with what the hooks now use when that is not what was
    /// written (another file, or instar's legacy key, still decides).
    fn changed(
        &self,
        key: &str,
        value: Option<&Value>,
        updated: edit::Updated<()>,
    ) -> Result<Outcome, Error> {
        let file = updated.path;
        let effective = self.effective(key);
        if self.json {
            let mut v = json!({"key": key, "file": file, "changed": updated.written, "effective": effective});
            if let Some(value) = value {
                v["value"] = value.clone();
            }
            return Ok(Outcome::success(to_json(&v)));
        }
        let mut out = match (value, updated.written) {
            (Some(v), true) => format!("set {key} = {v} in {}\n", file.display()),
            (Some(v), false) => {
                format!("{key} is already {v} in {} (unchanged)\n", file.display())
            }
            (None, true) => format!("removed {key} from {}\n", file.display()),
            (None, false) => format!("{key} is not set in {} (unchanged)\n", file.display()),
        };
        let decided_here = matches!(&effective.origin, Some(Origin::File { path, key: k }) if *path == file && k == key);
        let shown = |e: &Effective| {
            match (&e.value, &e.origin) {
            (Some(_), Some(o)) if key == "authToken" => format!("a token ({})", o.describe()),
            (Some(v), Some(o)) => format!("{v} ({})", o.describe()),
            _ if key == "port" || key == "authToken" => "nothing (they forward with the `port` and `authToken` of the first file that sets `port`)".into(),
            _ => "nothing (not set anywhere)".into(),
        }
        };
        if (value.is_some() && !decided_here) || value.is_none() {
            out.push_str(&format!(
                "the hooks {} {key} = {}\n",
                if value.is_some() {
                    "still use"
                } else {
                    "now use"
                },
                shown(&effective)
            ));
        }
        // A switch written where it does not take effect (a false elsewhere wins): the
        // change that does, as instar-migrate --enable/--disable would make it.
        if key == edit::ENABLED
            && let Some(&Value::Bool(want)) = value
            && effective.value != Some(Value::Bool(want))
            && let Some(fix) = edit::plan_switch(
                &self.project,
                &self.env,
                &self.wiring,
                want,
                self.is_agent(),
            )
            .commands(&self.project)
        {
            out.push_str(&format!("to make it take effect here: {fix}\n"));
        }
        Ok(Outcome::success(out))
    }
}
