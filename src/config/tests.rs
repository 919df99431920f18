use super::*;
use std::fs;

mod effective_values;
mod plugin_default;
mod precedence;
mod problems;
mod values;

struct Fixture {
    _dir: tempfile::TempDir,
    project: PathBuf,
    env: Env,
}

fn fixture(project_json: Option<&str>, user_json: Option<&str>) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    let config_dir = dir.path().join("xdg-config");
    fs::create_dir_all(project.join(".instar")).unwrap();
    if let Some(text) = project_json {
        fs::write(project.join(PROJECT_CONFIG), text).unwrap();
    }
    if let Some(text) = user_json {
        fs::create_dir_all(config_dir.join(USER_CONFIG_DIR)).unwrap();
        fs::write(
            config_dir.join(USER_CONFIG_DIR).join(USER_CONFIG_FILE),
            text,
        )
        .unwrap();
    }
    let env = Env {
        config_dir: Some(config_dir),
        ..Env::default()
    };
    Fixture {
        _dir: dir,
        project,
        env,
    }
}

fn load(project_json: Option<&str>, user_json: Option<&str>) -> Config {
    let f = fixture(project_json, user_json);
    Config::load(&f.project, &f.env)
}
