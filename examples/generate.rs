//! Writes a generated playbook for trying playbook at scale:
//! `cargo run --release --example generate -- 10000 /tmp/playbook-10k [--hugo]`
//! (`--hugo` makes the folder a Hugo site too: `hugo --source /tmp/playbook-10k`).

#[path = "../benches/corpus.rs"]
mod corpus;

fn main() {
    let hugo = std::env::args().any(|arg| arg == "--hugo");
    let mut args = std::env::args().skip(1).filter(|arg| arg != "--hugo");
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let root = std::path::PathBuf::from(args.next().unwrap_or_else(|| format!("playbook-{count}")));
    if root.exists()
        && std::fs::read_dir(&root)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        eprintln!("{} exists and is not empty", root.display());
        std::process::exit(1);
    }
    std::fs::create_dir_all(&root).expect("create the folder");
    corpus::generate(&root, count).expect("write the playbook");
    if hugo {
        corpus::write_hugo_site(&root).expect("write the Hugo configuration");
    }
    println!("wrote {count} entries into {}", root.display());
}
