//! Names the schema and the pages share, spelled once: the fields and default kinds the pages
//! read, and the site's own section folders. `schema` re-exports them.

/// Names of the fields the site itself reads: the fields every entry shares, and the fields of
/// the default kinds that the dashboard, prep, review and entry pages look at. The schema
/// declares the fields under these names and the pages look them up by the same constants.
pub mod field {
    pub const TITLE: &str = "title";
    pub const DATE: &str = "date";
    pub const TAGS: &str = "tags";
    pub const PEOPLE: &str = "people";
    pub const PRACTICES: &str = "practices";
    pub const RELATED: &str = "related";
    pub const DRAFT: &str = "draft";
    pub const SUMMARY: &str = "summary";
    pub const SLUG: &str = "slug";
    /// Ids of the ladder's competencies, on every kind once `ladder:` is given.
    pub const COMPETENCIES: &str = "competencies";
    pub const STATUS: &str = "status";
    pub const PROGRESS: &str = "progress";
    pub const DUE: &str = "due";
    pub const APPLIED: &str = "applied";
    pub const TONE: &str = "tone";
    pub const FOLLOW_UP: &str = "follow_up";
    pub const ACTIONS: &str = "actions";
    pub const TASK: &str = "task";
    pub const DONE: &str = "done";
    pub const DECISIONS: &str = "decisions";
    pub const NEXT: &str = "next";
    pub const OUTCOME: &str = "outcome";
    pub const METRICS: &str = "metrics";
}

/// Names of the default kinds the pages single out (the goals on the dashboard, the praise in a
/// review packet, …).
pub mod kind_name {
    pub const GOAL: &str = "goal";
    pub const ADVICE: &str = "advice";
    pub const FEEDBACK: &str = "feedback";
    pub const LOYALTY: &str = "loyalty";
    pub const ACHIEVEMENT: &str = "achievement";
    pub const CONTRIBUTION: &str = "contribution";
    pub const CONVERSATION: &str = "conversation";
}

/// The site's own sections: each is a folder of the output, which no kind folder may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Tags,
    People,
    Timeline,
    Practices,
    Prep,
    Review,
    /// The career ladder's matrix, with a ladder.
    Ladder,
    Search,
}

impl Section {
    pub const ALL: [Section; 8] = [
        Section::Tags,
        Section::People,
        Section::Timeline,
        Section::Practices,
        Section::Prep,
        Section::Review,
        Section::Ladder,
        Section::Search,
    ];

    /// The section's folder in the output and its first URL segment.
    pub fn folder(self) -> &'static str {
        match self {
            Section::Tags => "tags",
            Section::People => "people",
            Section::Timeline => "timeline",
            Section::Practices => "practices",
            Section::Prep => "prep",
            Section::Review => "review",
            Section::Ladder => "ladder",
            Section::Search => "search",
        }
    }

    /// `rest` inside the section's folder: `Section::Tags.path("index.html")` is
    /// `tags/index.html`.
    pub fn path(self, rest: &str) -> String {
        format!("{}/{rest}", self.folder())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_folders_are_distinct_and_paths_sit_inside_them() {
        let mut folders: Vec<&str> = Section::ALL.iter().map(|s| s.folder()).collect();
        folders.sort_unstable();
        folders.dedup();
        assert_eq!(folders.len(), Section::ALL.len());
        assert_eq!(Section::Tags.path("index.html"), "tags/index.html");
        assert_eq!(Section::Review.path(""), "review/");
    }
}
