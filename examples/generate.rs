//! Writes a generated playbook for trying playbook at scale:
//! `cargo run --release --example generate -- 10000 /tmp/playbook-10k [--hugo] [--shape NAME]`
//! (`--hugo` makes the folder a Hugo site too: `hugo --source /tmp/playbook-10k`; `--shape`
//! is `standard`, the default, `short`, `long` or `wide`: see `benches/corpus.rs`).

#[path = "../benches/corpus.rs"]
mod corpus;

fn main() {
    let mut hugo = false;
    let mut shape = corpus::Shape::STANDARD;
    let mut positional = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--hugo" => hugo = true,
            "--shape" => {
                let name = args.next().unwrap_or_default();
                shape = corpus::Shape::named(&name).unwrap_or_else(|| {
                    eprintln!("unknown shape {name:?}: standard, short, long or wide");
                    std::process::exit(2);
                });
            }
            _ => positional.push(arg),
        }
    }
    let mut positional = positional.into_iter();
    let count: usize = positional
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let root = std::path::PathBuf::from(
        positional
            .next()
            .unwrap_or_else(|| format!("playbook-{count}")),
    );
    if root.exists()
        && std::fs::read_dir(&root)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        eprintln!("{} exists and is not empty", root.display());
        std::process::exit(1);
    }
    std::fs::create_dir_all(&root).expect("create the folder");
    corpus::generate_shaped(&root, count, &shape).expect("write the playbook");
    if hugo {
        corpus::write_hugo_site(&root).expect("write the Hugo configuration");
    }
    println!(
        "wrote {count} entries ({}) into {}",
        shape.describe(count),
        root.display()
    );
}
