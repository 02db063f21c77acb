//! The command line: clap types, and their conversion into the library's options.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::build::BuildOptions;

/// A private career playbook: Markdown notes on how you work with your manager, built into a
/// static site you read before a 1:1, a review or a promotion case.
#[derive(Debug, Parser)]
#[command(name = "playbook", version, about, long_about = None)]
pub struct Cli {
    /// The playbook folder (the one holding content/ and playbook.yaml)
    #[arg(
        long,
        global = true,
        env = "PLAYBOOK_ROOT",
        default_value = ".",
        value_name = "DIR"
    )]
    pub root: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (default: public/)
    Build(BuildArgs),
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Output folder (default: output_dir of playbook.yaml, else public/)
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Include entries marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Write absolute links under this URL instead of relative ones
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

impl BuildArgs {
    pub fn into_options(self, root: PathBuf) -> BuildOptions {
        BuildOptions {
            root,
            output: self.output,
            drafts: self.drafts,
            base_url: self.base_url,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
