//! Host access rules, made when `publish.auth: basic`: Apache's `.htaccess` and `.htpasswd`
//! (bcrypt), and a `_headers` Basic-Auth rule for Netlify; written with the rest of the build.

use super::*;

pub const HTPASSWD: &str = ".htpasswd";

/// The three files, by name, for `user` and `password`; `user_file` is where `.htpasswd` is
/// on the host.
pub fn host_rules(
    user: &str,
    password: &Secret,
    user_file: &str,
    previous_htpasswd: Option<&str>,
) -> Result<[(&'static str, String); 3], Failure> {
    let fail = |message: String| Failure::one(Diagnostic::error(CONFIG_FILE, message));
    if user.is_empty() || user.contains([':', '\n']) {
        return Err(fail(format!(
            "publish.user `{user}` cannot hold `:` or be empty"
        )));
    }
    let password = checked_password(password).map_err(fail)?;
    // The same password keeps the same line: bcrypt salts afresh, and an unchanged file
    // is not sent again.
    let kept = previous_htpasswd.and_then(|text| {
        let hash = text
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{user}:")))?;
        bcrypt::verify(&password, hash)
            .ok()?
            .then(|| text.to_string())
    });
    let htpasswd = match kept {
        Some(text) => text,
        None => {
            let hash = bcrypt::hash(&password, bcrypt::DEFAULT_COST)
                .map_err(|err| fail(format!("could not hash the password: {err}")))?;
            format!("{user}:{hash}\n")
        }
    };
    let htaccess = format!(
        "# Written by `playbook publish` (publish.auth: basic). Apache honours it where the\n\
         # host allows `AllowOverride AuthConfig`.\n\
         AuthType Basic\n\
         AuthName \"Private playbook\"\n\
         AuthUserFile \"{user_file}\"\n\
         Require valid-user\n\
         <FilesMatch \"^(\\.ht|_headers$)\">\n  Require all denied\n</FilesMatch>\n"
    );
    let headers = format!(
        "# Written by `playbook publish` (publish.auth: basic): Netlify asks for this user\n\
         # and password on every page. Apache refuses to serve it (.htaccess); other hosts\n\
         # serve it like any file, password included.\n\
         /*\n  Basic-Auth: {user}:{password}\n"
    );
    Ok([
        (HTPASSWD, htpasswd),
        (".htaccess", htaccess),
        ("_headers", headers),
    ])
}

/// The password as given, or why there is none. No spaces: `_headers` separates the user and
/// password from what follows with one.
fn checked_password(password: &Secret) -> Result<String, String> {
    match password {
        Secret::Given(password) if password.is_empty() => {
            Err("the Basic-Auth password is empty".to_string())
        }
        Secret::Given(password)
            if password
                .chars()
                .any(|c| c.is_whitespace() || c.is_control()) =>
        {
            Err("the Basic-Auth password cannot hold spaces or control characters".into())
        }
        Secret::Given(password) => Ok(password.clone()),
        Secret::Refused(why) => Err(why.clone()),
        Secret::Missing => Err("publish.auth: basic needs a password: set \
             PLAYBOOK_AUTH_PASSWORD, or run playbook in a terminal to be asked"
            .into()),
    }
}
