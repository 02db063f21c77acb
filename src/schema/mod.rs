//! The schema: the nine practices, the fields every entry shares, the seven default kinds and
//! their fields, and the kinds and fields a playbook adds in `playbook.yaml`.

use serde::{Deserialize, Serialize};

pub mod names;

pub use names::{Section, field, kind_name};

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
    pub const ALL: [Practice; 9] = [
        Practice::LearnTheirGoals,
        Practice::ShowLoyalty,
        Practice::MakeYourselfUseful,
        Practice::GetFeedback,
        Practice::AskForAdvice,
        Practice::Communicate,
        Practice::OwnYourWork,
        Practice::CelebrateAndSupport,
        Practice::Collaborate,
    ];

    /// The id written in front matter: `ask-for-advice`.
    pub fn id(self) -> &'static str {
        match self {
            Practice::LearnTheirGoals => "learn-their-goals",
            Practice::ShowLoyalty => "show-loyalty",
            Practice::MakeYourselfUseful => "make-yourself-useful",
            Practice::GetFeedback => "get-feedback",
            Practice::AskForAdvice => "ask-for-advice",
            Practice::Communicate => "communicate",
            Practice::OwnYourWork => "own-your-work",
            Practice::CelebrateAndSupport => "celebrate-and-support",
            Practice::Collaborate => "collaborate",
        }
    }

    pub fn from_id(id: &str) -> Option<Practice> {
        Practice::ALL.into_iter().find(|p| p.id() == id)
    }

    /// What the practice is and why it matters, for its page.
    pub fn guide(self) -> &'static str {
        match self {
            Practice::LearnTheirGoals => {
                "Know what your manager is measured on and what they promised their own manager. Decisions that puzzle you usually make sense once you see the goal behind them, and knowing the goals lets you put your effort where it counts and see the next request coming."
            }
            Practice::ShowLoyalty => {
                "Have your manager's back in public and disagree in private. Loyalty is built in small moments — defending a decision you helped shape, covering while they are away — and it is worth noting whether it comes back to you, because loyalty that only flows one way is worth rethinking."
            }
            Practice::MakeYourselfUseful => {
                "Volunteer for the work that moves your manager's goals, including the unglamorous part. Offer ideas and help before you are asked, and learn the skills the team is missing: being the person who makes their plan work is the surest way to become the person they count on."
            }
            Practice::GetFeedback => {
                "Ask for feedback often, not once a year, and write down what you heard before you soften it. Feedback is only worth its follow-up: note the actions you took and check back, so that the next conversation starts from progress instead of the same point."
            }
            Practice::AskForAdvice => {
                "Ask your manager how they would approach a problem, then say what you did with the advice. Asking shows you value their judgement; closing the loop — telling them how it went — is what turns one good answer into a habit of being asked."
            }
            Practice::Communicate => {
                "Keep your manager informed without being chased: regular one-to-ones with an agenda, bad news early, decisions written down. Open communication is mostly preparation and follow-through, and a record of what was agreed saves both of you from relitigating it."
            }
            Practice::OwnYourWork => {
                "Deliver what you said you would, and own the outcome when it goes wrong as well as when it goes right. Keep the evidence — the impact, the numbers, who noticed — because at review time nobody remembers the details but you."
            }
            Practice::CelebrateAndSupport => {
                "Notice and name the wins of your manager and your colleagues, and support them when things are hard. Generosity with credit builds the kind of trust that makes difficult conversations easier later."
            }
            Practice::Collaborate => {
                "Work well with the people your manager depends on: peers, other teams, their own manager. A manager can only put forward the people they see others want to work with."
            }
        }
    }

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

/// What a field holds; front matter is checked against it.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldType {
    Text,
    Bool,
    /// `YYYY-MM-DD` or RFC 3339.
    Date,
    Integer {
        min: Option<i64>,
        max: Option<i64>,
    },
    /// One of these words.
    Enum(Vec<String>),
    /// A person id (see `people:` in playbook.yaml).
    Person,
    /// A tag: text that gets a page of its own.
    Tag,
    /// `<kind-folder>/<slug>` of another entry, of the kind with this folder when given.
    Reference(Option<String>),
    /// A list; a single value is read as a list of one.
    List(Box<FieldType>),
    /// A mapping with these fields, e.g. a feedback action `{task, done}`.
    Record(Vec<FieldSpec>),
}

impl FieldType {
    /// How the type is named in messages and in `playbook new` comments.
    pub fn describe(&self) -> String {
        match self {
            FieldType::Text => "text".into(),
            FieldType::Bool => "true or false".into(),
            FieldType::Date => "a date (YYYY-MM-DD)".into(),
            FieldType::Integer {
                min: Some(min),
                max: Some(max),
            } => {
                format!("a whole number from {min} to {max}")
            }
            FieldType::Integer { .. } => "a whole number".into(),
            FieldType::Enum(values) => format!("one of: {}", values.join(", ")),
            FieldType::Person => "a person id".into(),
            FieldType::Tag => "a tag".into(),
            FieldType::Reference(Some(folder)) => format!("an entry, as {folder}/<slug>"),
            FieldType::Reference(None) => "an entry, as <kind-folder>/<slug>".into(),
            FieldType::List(inner) => format!("a list of {}", inner.describe_item()),
            FieldType::Record(fields) => {
                let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                format!("a mapping {{{}}}", names.join(", "))
            }
        }
    }

    fn describe_item(&self) -> String {
        match self {
            FieldType::Text => "text".into(),
            FieldType::Person => "person ids".into(),
            FieldType::Tag => "tags".into(),
            FieldType::Reference(_) => "entries (<kind-folder>/<slug>)".into(),
            FieldType::Record(_) | FieldType::List(_) => self.describe(),
            other => format!("values ({})", other.describe()),
        }
    }
}

/// How the entry page shows a field; `Auto` derives it from the type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Widget {
    Auto,
    /// An integer 0–100 as a progress bar.
    Progress,
    /// Records `{task, done}` as a checklist.
    Checklist,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldSpec {
    pub name: String,
    pub ty: FieldType,
    pub required: bool,
    /// Heading in the entry's panel.
    pub label: String,
    /// Words for enum values and booleans (`true`/`false`), shown instead of the raw value.
    pub words: Vec<(String, String)>,
    pub widget: Widget,
}

impl FieldSpec {
    pub fn new(name: &str, label: &str, ty: FieldType) -> FieldSpec {
        FieldSpec {
            name: name.to_string(),
            ty,
            required: false,
            label: label.to_string(),
            words: Vec::new(),
            widget: Widget::Auto,
        }
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn words(mut self, words: &[(&str, &str)]) -> Self {
        self.words = words
            .iter()
            .map(|(value, words)| (value.to_string(), words.to_string()))
            .collect();
        self
    }

    pub fn widget(mut self, widget: Widget) -> Self {
        self.widget = widget;
        self
    }

    /// The words for a raw enum or boolean value, if the schema gives some.
    pub fn words_for(&self, raw: &str) -> Option<&str> {
        self.words
            .iter()
            .find(|(value, _)| value == raw)
            .map(|(_, words)| words.as_str())
    }
}

/// A kind of entry: its folder, its practice and its own fields.
#[derive(Clone, Debug)]
pub struct KindSpec {
    /// Singular id: `goal`.
    pub name: String,
    /// Folder under `content/` and first URL segment: `goals`.
    pub folder: String,
    pub label: String,
    pub plural: String,
    pub practice: Practice,
    /// One sentence under the list page's heading.
    pub intro: String,
    pub fields: Vec<FieldSpec>,
}

impl KindSpec {
    pub fn field(&self, name: &str) -> Option<(usize, &FieldSpec)> {
        self.fields.iter().enumerate().find(|(_, f)| f.name == name)
    }
}

/// Position of a kind in `Schema::kinds`.
pub type KindId = usize;

/// Every kind of this playbook and the fields all entries share.
#[derive(Clone, Debug)]
pub struct Schema {
    pub common: Vec<FieldSpec>,
    pub kinds: Vec<KindSpec>,
}

fn texts(values: &[&str]) -> FieldType {
    FieldType::Enum(values.iter().map(|v| v.to_string()).collect())
}

fn list(item: FieldType) -> FieldType {
    FieldType::List(Box::new(item))
}

/// `actions:`, a checklist of `{task, done, due}`: the same spec for feedback and
/// conversations, so that the agenda reads both alike.
fn actions_field() -> FieldSpec {
    FieldSpec::new(
        field::ACTIONS,
        "Actions",
        list(FieldType::Record(vec![
            FieldSpec::new(field::TASK, "Task", FieldType::Text).required(),
            FieldSpec::new(field::DONE, "Done", FieldType::Bool),
            FieldSpec::new(field::DUE, "Due", FieldType::Date),
        ])),
    )
    .widget(Widget::Checklist)
}

impl Schema {
    /// Gives every entry `competencies:`, a list of the ladder's `ids`, when there is a
    /// ladder; the name of a kind that has a field of that name already is the error.
    pub fn add_ladder(&mut self, ids: &[&str]) -> Result<(), String> {
        if ids.is_empty() {
            return Ok(());
        }
        if let Some(kind) = self
            .kinds
            .iter()
            .find(|kind| kind.field(field::COMPETENCIES).is_some())
        {
            return Err(kind.name.clone());
        }
        self.common.push(FieldSpec::new(
            field::COMPETENCIES,
            "Competencies",
            list(texts(ids)),
        ));
        Ok(())
    }
}

impl Default for Schema {
    /// The seven kinds of the SPEC.
    fn default() -> Schema {
        let practices: Vec<&str> = Practice::ALL.iter().map(|p| p.id()).collect();
        let common = vec![
            FieldSpec::new(field::TITLE, "Title", FieldType::Text).required(),
            FieldSpec::new(field::DATE, "Date", FieldType::Date).required(),
            FieldSpec::new(field::TAGS, "Tags", list(FieldType::Tag)),
            FieldSpec::new(field::PEOPLE, "People", list(FieldType::Person)),
            FieldSpec::new(field::PRACTICES, "Practices", list(texts(&practices))),
            FieldSpec::new(field::RELATED, "Related", list(FieldType::Reference(None))),
            FieldSpec::new(field::DRAFT, "Draft", FieldType::Bool),
            FieldSpec::new(field::SUMMARY, "Summary", FieldType::Text),
            FieldSpec::new(field::SLUG, "Slug", FieldType::Text),
        ];
        let kind =
            |name: &str, folder: &str, label: &str, plural: &str, practice, intro: &str, fields| {
                KindSpec {
                    name: name.into(),
                    folder: folder.into(),
                    label: label.into(),
                    plural: plural.into(),
                    practice,
                    intro: intro.into(),
                    fields,
                }
            };
        let kinds = vec![
            kind(
                kind_name::GOAL,
                "goals",
                "Goal",
                "Goals",
                Practice::LearnTheirGoals,
                "What your manager, your team and you are trying to achieve, and how far along each goal is.",
                vec![
                    FieldSpec::new("owner", "Whose goal", texts(&["boss", "me", "team"])).words(&[
                        ("boss", "My manager’s goal"),
                        ("me", "My own goal"),
                        ("team", "The team’s goal"),
                    ]),
                    FieldSpec::new(
                        field::STATUS,
                        "Status",
                        texts(&["active", "met", "dropped"]),
                    )
                    .words(&[
                        ("active", "In progress"),
                        ("met", "Met"),
                        ("dropped", "Dropped"),
                    ]),
                    FieldSpec::new(
                        field::PROGRESS,
                        "Progress",
                        FieldType::Integer {
                            min: Some(0),
                            max: Some(100),
                        },
                    )
                    .widget(Widget::Progress),
                    FieldSpec::new("metric", "Measured by", FieldType::Text),
                    FieldSpec::new("target", "Target", FieldType::Text),
                    FieldSpec::new(field::DUE, "Due", FieldType::Date),
                ],
            ),
            kind(
                kind_name::ADVICE,
                "advice",
                "Advice",
                "Advice",
                Practice::AskForAdvice,
                "Advice you asked for or were given, whether you applied it, and what came of it.",
                vec![
                    FieldSpec::new("from", "From", FieldType::Person).required(),
                    FieldSpec::new("asked", "How it came", FieldType::Bool).words(&[
                        ("true", "I asked for it"),
                        ("false", "Offered without my asking"),
                    ]),
                    FieldSpec::new(field::APPLIED, "Applied", FieldType::Bool)
                        .words(&[("true", "Applied"), ("false", "Not applied yet")]),
                    FieldSpec::new(field::OUTCOME, "Outcome", FieldType::Text),
                ],
            ),
            kind(
                kind_name::FEEDBACK,
                "feedback",
                "Feedback",
                "Feedback",
                Practice::GetFeedback,
                "Feedback received, its tone, and the actions you took from it.",
                vec![
                    FieldSpec::new("from", "From", FieldType::Person).required(),
                    FieldSpec::new(
                        field::TONE,
                        "Tone",
                        texts(&["praise", "constructive", "mixed"]),
                    )
                    .words(&[
                        ("praise", "Praise"),
                        ("constructive", "Constructive"),
                        ("mixed", "Mixed"),
                    ]),
                    FieldSpec::new(field::FOLLOW_UP, "Follow up", FieldType::Date),
                    actions_field(),
                ],
            ),
            kind(
                kind_name::LOYALTY,
                "loyalty",
                "Loyalty",
                "Loyalty",
                Practice::ShowLoyalty,
                "Moments you had your manager’s back, or they had yours.",
                vec![
                    FieldSpec::new("with", "With", list(FieldType::Person)),
                    FieldSpec::new("situation", "Situation", FieldType::Text),
                    FieldSpec::new("reciprocated", "Reciprocated", FieldType::Bool).words(&[
                        ("true", "Returned in kind"),
                        ("false", "Not returned (yet)"),
                    ]),
                ],
            ),
            kind(
                kind_name::ACHIEVEMENT,
                "achievements",
                "Achievement",
                "Achievements",
                Practice::OwnYourWork,
                "Work you delivered and owned, with its impact and the numbers that show it.",
                vec![
                    FieldSpec::new("impact", "Impact", FieldType::Text),
                    FieldSpec::new("recognized_by", "Recognised by", FieldType::Person),
                    FieldSpec::new(
                        "goal",
                        "Moves the goal",
                        FieldType::Reference(Some("goals".into())),
                    ),
                    FieldSpec::new(
                        field::METRICS,
                        "Metrics",
                        list(FieldType::Record(vec![
                            FieldSpec::new("name", "Measure", FieldType::Text).required(),
                            FieldSpec::new("before", "Before", FieldType::Text),
                            FieldSpec::new("after", "After", FieldType::Text),
                        ])),
                    ),
                ],
            ),
            kind(
                kind_name::CONTRIBUTION,
                "contributions",
                "Contribution",
                "Contributions",
                Practice::MakeYourselfUseful,
                "Assignments you volunteered for, ideas you brought, help you gave.",
                vec![
                    FieldSpec::new(
                        "type",
                        "Kind of help",
                        texts(&["assignment", "idea", "help"]),
                    )
                    .words(&[
                        ("assignment", "Took on an assignment"),
                        ("idea", "Brought an idea"),
                        ("help", "Helped out"),
                    ]),
                    FieldSpec::new(
                        field::STATUS,
                        "Status",
                        texts(&["proposed", "doing", "done"]),
                    )
                    .words(&[
                        ("proposed", "Proposed"),
                        ("doing", "Under way"),
                        ("done", "Done"),
                    ]),
                    FieldSpec::new("skills", "Skills", list(FieldType::Text)),
                ],
            ),
            kind(
                kind_name::CONVERSATION,
                "conversations",
                "Conversation",
                "Conversations",
                Practice::Communicate,
                "One-to-ones and other conversations: topics raised, decisions made, what to raise next time and who does what.",
                vec![
                    FieldSpec::new("with", "With", list(FieldType::Person)),
                    FieldSpec::new("topics", "Topics", list(FieldType::Text)),
                    FieldSpec::new(field::DECISIONS, "Decisions", list(FieldType::Text)),
                    FieldSpec::new(field::NEXT, "Next time", list(FieldType::Text)),
                    actions_field(),
                ],
            ),
        ];
        Schema { common, kinds }
    }
}

impl Schema {
    pub fn kind(&self, id: KindId) -> &KindSpec {
        &self.kinds[id]
    }

    pub fn kind_by_folder(&self, folder: &str) -> Option<KindId> {
        self.kinds.iter().position(|k| k.folder == folder)
    }

    /// Finds a kind by its name or its folder, as typed on the command line.
    pub fn kind_by_name(&self, name: &str) -> Option<KindId> {
        self.kinds
            .iter()
            .position(|k| k.name == name || k.folder == name)
    }

    pub fn folders(&self) -> Vec<&str> {
        self.kinds.iter().map(|k| k.folder.as_str()).collect()
    }
}
