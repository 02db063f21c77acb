//! The seven default kinds, the nine practices, and the typed front-matter fields of each kind.

use serde::{Deserialize, Deserializer, Serialize};

use super::date::EntryDate;

/// What an entry is evidence of; the folder under `content/` decides it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Goal,
    Advice,
    Feedback,
    Loyalty,
    Achievement,
    Contribution,
    Conversation,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Goal,
        Kind::Advice,
        Kind::Feedback,
        Kind::Loyalty,
        Kind::Achievement,
        Kind::Contribution,
        Kind::Conversation,
    ];

    /// The folder under `content/` and the first segment of the kind's URLs.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Goal => "goals",
            Kind::Advice => "advice",
            Kind::Feedback => "feedback",
            Kind::Loyalty => "loyalty",
            Kind::Achievement => "achievements",
            Kind::Contribution => "contributions",
            Kind::Conversation => "conversations",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Goal => "goal",
            Kind::Advice => "advice",
            Kind::Feedback => "feedback",
            Kind::Loyalty => "loyalty",
            Kind::Achievement => "achievement",
            Kind::Contribution => "contribution",
            Kind::Conversation => "conversation",
        }
    }

    /// Heading of the kind's list page.
    pub fn plural_label(self) -> &'static str {
        match self {
            Kind::Goal => "Goals",
            Kind::Advice => "Advice",
            Kind::Feedback => "Feedback",
            Kind::Loyalty => "Loyalty",
            Kind::Achievement => "Achievements",
            Kind::Contribution => "Contributions",
            Kind::Conversation => "Conversations",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Goal => "Goal",
            Kind::Advice => "Advice",
            Kind::Feedback => "Feedback",
            Kind::Loyalty => "Loyalty",
            Kind::Achievement => "Achievement",
            Kind::Contribution => "Contribution",
            Kind::Conversation => "Conversation",
        }
    }

    /// The practice every entry of this kind shows.
    pub fn practice(self) -> Practice {
        match self {
            Kind::Goal => Practice::LearnTheirGoals,
            Kind::Advice => Practice::AskForAdvice,
            Kind::Feedback => Practice::GetFeedback,
            Kind::Loyalty => Practice::ShowLoyalty,
            Kind::Achievement => Practice::OwnYourWork,
            Kind::Contribution => Practice::MakeYourselfUseful,
            Kind::Conversation => Practice::Communicate,
        }
    }

    pub fn from_folder(folder: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.folder() == folder)
    }
}

/// The nine practices of a strong working relationship with a manager.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Practice {
    LearnTheirGoals,
    ShowLoyalty,
    MakeYourselfUseful,
    GetFeedback,
    AskForAdvice,
    Communicate,
    OwnYourWork,
    CelebrateAndSupport,
    Collaborate,
}

impl Practice {
    pub fn label(self) -> &'static str {
        match self {
            Practice::LearnTheirGoals => "Learn their goals",
            Practice::ShowLoyalty => "Show loyalty",
            Practice::MakeYourselfUseful => "Make yourself useful",
            Practice::GetFeedback => "Get feedback",
            Practice::AskForAdvice => "Ask for advice",
            Practice::Communicate => "Communicate openly",
            Practice::OwnYourWork => "Own your work",
            Practice::CelebrateAndSupport => "Celebrate and support",
            Practice::Collaborate => "Collaborate",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GoalOwner {
    Boss,
    Me,
    Team,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GoalStatus {
    #[default]
    Active,
    Met,
    Dropped,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tone {
    Praise,
    Constructive,
    Mixed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContributionType {
    Assignment,
    Idea,
    Help,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContributionStatus {
    Proposed,
    Doing,
    Done,
}

/// The fields every kind shares.
#[derive(Clone, Debug)]
pub struct CommonFields {
    pub title: String,
    pub date: EntryDate,
    pub tags: Vec<String>,
    pub people: Vec<String>,
    pub practices: Vec<Practice>,
    pub related: Vec<String>,
    pub draft: bool,
    pub summary: Option<String>,
    pub slug: Option<String>,
}

/// Declares a kind's own fields, and the whole front matter of that kind (shared fields plus
/// its own) as one flat struct. One flat struct is parsed once and keeps serde_yaml's exact
/// line and column on every error; `#[serde(flatten)]` would lose them.
macro_rules! kind_fields {
    ($front:ident => $fields:ident { $( $(#[$attr:meta])* $name:ident : $ty:ty, )* }) => {
        #[derive(Clone, Debug, Deserialize)]
        pub struct $fields { $( $(#[$attr])* pub $name: $ty, )* }

        #[derive(Deserialize)]
        pub(crate) struct $front {
            title: String,
            date: EntryDate,
            #[serde(default)]
            tags: Vec<String>,
            #[serde(default)]
            people: Vec<String>,
            #[serde(default)]
            practices: Vec<Practice>,
            #[serde(default)]
            related: Vec<String>,
            #[serde(default)]
            draft: bool,
            summary: Option<String>,
            slug: Option<String>,
            $( $(#[$attr])* $name: $ty, )*
        }

        impl $front {
            pub(crate) fn split(self) -> (CommonFields, $fields) {
                let common = CommonFields {
                    title: self.title,
                    date: self.date,
                    tags: self.tags,
                    people: self.people,
                    practices: self.practices,
                    related: self.related,
                    draft: self.draft,
                    summary: self.summary,
                    slug: self.slug,
                };
                (common, $fields { $( $name: self.$name, )* })
            }
        }
    };
}

kind_fields!(GoalFrontMatter => GoalFields {
    owner: Option<GoalOwner>,
    metric: Option<String>,
    #[serde(default, deserialize_with = "scalar_string")]
    target: Option<String>,
    #[serde(default, deserialize_with = "percent")]
    progress: Option<u8>,
    due: Option<EntryDate>,
    #[serde(default)]
    status: GoalStatus,
});

kind_fields!(AdviceFrontMatter => AdviceFields {
    from: String,
    asked: Option<bool>,
    applied: Option<bool>,
    outcome: Option<String>,
});

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ActionItem {
    pub task: String,
    #[serde(default)]
    pub done: bool,
}

kind_fields!(FeedbackFrontMatter => FeedbackFields {
    from: String,
    tone: Option<Tone>,
    #[serde(default)]
    actions: Vec<ActionItem>,
    follow_up: Option<EntryDate>,
});

kind_fields!(LoyaltyFrontMatter => LoyaltyFields {
    #[serde(default, deserialize_with = "one_or_many")]
    with: Vec<String>,
    situation: Option<String>,
    reciprocated: Option<bool>,
});

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    pub name: String,
    #[serde(default, deserialize_with = "scalar_string")]
    pub before: Option<String>,
    #[serde(default, deserialize_with = "scalar_string")]
    pub after: Option<String>,
}

kind_fields!(AchievementFrontMatter => AchievementFields {
    impact: Option<String>,
    #[serde(default)]
    metrics: Vec<Metric>,
    recognized_by: Option<String>,
    /// `goals/<slug>` of the goal this achievement moves.
    goal: Option<String>,
});

kind_fields!(ContributionFrontMatter => ContributionFields {
    #[serde(rename = "type")]
    kind: Option<ContributionType>,
    status: Option<ContributionStatus>,
    #[serde(default)]
    skills: Vec<String>,
});

kind_fields!(ConversationFrontMatter => ConversationFields {
    #[serde(default, deserialize_with = "one_or_many")]
    with: Vec<String>,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    decisions: Vec<String>,
});

/// The kind-specific half of an entry's front matter.
#[derive(Clone, Debug)]
pub enum KindFields {
    Goal(GoalFields),
    Advice(AdviceFields),
    Feedback(FeedbackFields),
    Loyalty(LoyaltyFields),
    Achievement(AchievementFields),
    Contribution(ContributionFields),
    Conversation(ConversationFields),
}

impl KindFields {
    /// Person ids named by kind-specific fields (`from`, `with`, `recognized_by`).
    pub fn person_ids(&self) -> Vec<&str> {
        match self {
            KindFields::Advice(f) => vec![f.from.as_str()],
            KindFields::Feedback(f) => vec![f.from.as_str()],
            KindFields::Loyalty(f) => f.with.iter().map(String::as_str).collect(),
            KindFields::Conversation(f) => f.with.iter().map(String::as_str).collect(),
            KindFields::Achievement(f) => f.recognized_by.iter().map(String::as_str).collect(),
            KindFields::Goal(_) | KindFields::Contribution(_) => Vec::new(),
        }
    }
}

/// A person id or a list of them (`with: dana` and `with: [dana, lee]` both read well).
fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged, expecting = "a person id or a list of person ids")]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(id) => vec![id],
        OneOrMany::Many(ids) => ids,
    })
}

/// Text written as a YAML string, number or boolean (`before: 42` and `before: "42 ms"` alike).
fn scalar_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged, expecting = "a string or a number")]
    enum Scalar {
        Text(String),
        Int(i64),
        Float(f64),
        Bool(bool),
    }
    Ok(
        Option::<Scalar>::deserialize(deserializer)?.map(|scalar| match scalar {
            Scalar::Text(text) => text,
            Scalar::Int(n) => n.to_string(),
            Scalar::Float(x) => x.to_string(),
            Scalar::Bool(b) => b.to_string(),
        }),
    )
}

fn percent<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u8>, D::Error> {
    let value = Option::<i64>::deserialize(deserializer)?;
    match value {
        Some(n @ 0..=100) => Ok(Some(n as u8)),
        Some(n) => Err(serde::de::Error::custom(format!(
            "progress must be between 0 and 100, found {n}"
        ))),
        None => Ok(None),
    }
}
