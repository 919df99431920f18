//! `config get` and `config list`: the value the hooks use, and where it comes from.

use super::*;

impl Ctx {
    pub(super) fn effective(&self, key: &str) -> Effective {
        config::effective(&self.project, &self.hook_env, key)
    }

    pub(super) fn get(&self, key: &str, which: Option<Which>) -> Result<Outcome, Error> {
        let Some(which) = which else {
            let e = self.effective(key);
            let text = if self.json {
                to_json(&e)
            } else {
                match (&e.value, &e.origin) {
                    (Some(v), Some(o)) => format!("{key} = {v}  ({})\n", o.describe()),
                    _ => format!("{key} is not set\n"),
                }
            };
            return Ok(found(text, e.value.is_some()));
        };
        let file = match which {
            Which::User => self.user_file()?,
            Which::Project => self.project_file(),
        };
        let doc = instar_hooks::json_file::read_object(&file)?.unwrap_or_default();
        let value = edit::get(&doc, key).cloned();
        let text = if self.json {
            to_json(&json!({"key": key, "value": value, "file": file}))
        } else {
            match &value {
                Some(v) => format!("{key} = {v}  ({})\n", file.display()),
                None => format!("{key} is not set in {}\n", file.display()),
            }
        };
        Ok(found(text, value.is_some()))
    }

    pub(super) fn list(&self) -> Result<Outcome, Error> {
        #[derive(Serialize)]
        struct FileRow {
            scope: &'static str,
            path: PathBuf,
            exists: bool,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Listing {
            project: PathBuf,
            files: Vec<FileRow>,
            hooks_run_from: String,
            keys: Vec<Effective>,
        }
        let mut files = vec![FileRow {
            scope: "project",
            exists: self.project_file().is_file(),
            path: self.project_file(),
        }];
        if let Ok(user) = self.user_file() {
            files.push(FileRow {
                scope: "user",
                exists: user.is_file(),
                path: user,
            });
        }
        let keys: Vec<Effective> = config::KEYS
            .iter()
            .map(|k| self.effective(k.name))
            .map(|mut e| {
                if e.key == "authToken" && e.value.is_some() {
                    e.value = Some(json!("(set, not shown)"));
                }
                e
            })
            .collect();
        let listing = Listing {
            project: self.project.clone(),
            files,
            hooks_run_from: self.wiring.describe(),
            keys,
        };
        if self.json {
            return Ok(Outcome::success(to_json(&listing)));
        }
        let mut out = format!("project:      {}\n", listing.project.display());
        for f in &listing.files {
            let missing = if f.exists { "" } else { " (does not exist)" };
            out.push_str(&format!(
                "{:<13} {}{missing}\n",
                format!("{} file:", f.scope),
                f.path.display()
            ));
        }
        if !self.wiring.plugin_enabled() && self.wiring.settings_hooks.is_empty() {
            out.push_str("hooks:        not wired here (no plugin enabled, no settings entry)\n\n");
        } else {
            out.push_str(&format!(
                "hooks:        run from {}\n\n",
                listing.hooks_run_from
            ));
        }
        let rows: Vec<Vec<String>> = listing
            .keys
            .iter()
            .map(|e| {
                vec![
                    e.key.clone(),
                    e.value
                        .as_ref()
                        .map_or_else(|| "-".into(), |v| v.to_string()),
                    e.origin
                        .as_ref()
                        .map_or_else(|| "not set".into(), Origin::describe),
                ]
            })
            .collect();
        out.push_str(&table(&["KEY", "VALUE", "FROM"], &rows));
        Ok(Outcome::success(out))
    }
}
