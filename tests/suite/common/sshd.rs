//! A throwaway OpenSSH server on 127.0.0.1 for the publish tests: its own host key, one client
//! key that it accepts, stopped when dropped. `rsync` reaches it through `RSYNC_RSH`.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Sshd {
    child: Child,
    dir: tempfile::TempDir,
    pub port: u16,
}

impl Sshd {
    pub fn start() -> Sshd {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = |name: &str| dir.path().join(name).display().to_string();
        for key in ["host_key", "client_key"] {
            let status = Command::new("ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", "", "-f", &path(key)])
                .status()
                .expect("run ssh-keygen (Debian's openssh-client)");
            assert!(status.success());
        }
        std::fs::copy(path("client_key.pub"), path("authorized_keys")).unwrap();
        // sshd wants its privilege separation folder; .ci/run makes it where we are not root.
        let _ = std::fs::create_dir_all("/run/sshd");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let config = format!(
            "ListenAddress 127.0.0.1\nPort {port}\nHostKey {}\nAuthorizedKeysFile {}\n\
             PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n\
             StrictModes no\nPidFile {}\n",
            path("host_key"),
            path("authorized_keys"),
            path("sshd.pid")
        );
        std::fs::write(path("sshd_config"), config).unwrap();
        let child = Command::new("/usr/sbin/sshd")
            .args(["-D", "-e", "-f", &path("sshd_config")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start /usr/sbin/sshd (Debian's openssh-server)");
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "sshd did not listen on {port}");
            std::thread::sleep(Duration::from_millis(20));
        }
        Sshd { child, dir, port }
    }

    /// What rsync runs to reach this server: `RSYNC_RSH`.
    pub fn rsync_rsh(&self) -> String {
        format!(
            "ssh -i {} -p {} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
             -o BatchMode=yes -o LogLevel=ERROR",
            self.dir.path().join("client_key").display(),
            self.port
        )
    }

    /// `user@127.0.0.1:<folder>` for rsync.
    pub fn destination(&self, folder: &Path) -> String {
        let user = Command::new("id")
            .arg("-un")
            .output()
            .expect("id -un")
            .stdout;
        format!(
            "{}@127.0.0.1:{}",
            String::from_utf8_lossy(&user).trim(),
            folder.display()
        )
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
