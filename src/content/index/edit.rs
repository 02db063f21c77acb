//! Keeping the indexes up to date when entries are edited in place: the edited entries are
//! merged into the order where they now sort, every index list is remapped to the new
//! positions (no hashing), and an index no edit touched is shared with the last playbook.
//! Invariant: the result equals `Playbook::new` on the same entries (tested below).

use ahash::AHashMap as HashMap;
use std::sync::Arc;

use super::{Delta, months_of, newest_first, reference_targets};
use crate::config::Config;
use crate::content::model::{Entry, PersonGroup, Playbook, TagGroup};
use crate::slug::url_slug;

impl Playbook {
    /// This playbook with `edited` entries in place of the ones with their keys, its indexes
    /// updated for what the edits changed instead of built anew (indexes no edit touched are
    /// shared), and how positions moved. `None` when some key is not in the playbook (or is
    /// another file's): an
    /// added entry can be the target of references written before it, so that takes a new
    /// playbook (as do removed and renamed entries).
    pub fn with_edited(&self, edited: &[Arc<Entry>]) -> Option<(Playbook, Delta)> {
        let mut pairs: Vec<(usize, &Arc<Entry>)> = edited
            .iter()
            .map(|entry| {
                let old = self.index_of(&entry.key)?;
                // Another file that now has this key is a duplicate, not an edit.
                (self.entries[old].source == entry.source).then_some((old, entry))
            })
            .collect::<Option<_>>()?;
        pairs.sort_by_key(|(old, _)| *old);
        pairs.dedup_by_key(|(old, _)| *old);
        let order = Order::after(&self.entries, &pairs);
        let mut entries = match &order.old_of_new {
            Some(old_of_new) => old_of_new
                .iter()
                .map(|&o| self.entries[o].clone())
                .collect(),
            None => self.entries.clone(),
        };
        let changed: Vec<(usize, usize)> = pairs
            .iter()
            .map(|(old, entry)| {
                let new = order.new_position(*old);
                entries[new] = (*entry).clone();
                (*old, new)
            })
            .collect();
        let update = Update {
            old: &self.entries,
            new: &entries,
            order: &order,
            changed: &changed,
        };
        let by_key = match &order.new_of_old {
            Some(new_of_old) => {
                let mut by_key = (*self.by_key).clone();
                by_key.values_mut().for_each(|p| *p = new_of_old[*p]);
                Arc::new(by_key)
            }
            None => self.by_key.clone(),
        };
        let playbook = Playbook {
            config: self.config.clone(),
            by_kind: update.lists(&self.by_kind, |e| vec![e.kind]),
            by_practice: update.lists(&self.by_practice, |e| {
                e.practices.iter().map(|p| *p as usize).collect()
            }),
            tags: update.tags(&self.tags),
            people: update.people(&self.people, &self.config),
            months: match update.same_dates() {
                true => self.months.clone(),
                false => Arc::new(months_of(&entries)),
            },
            backlinks: update.backlinks(&self.backlinks, &self.by_key, &by_key),
            by_key,
            entries,
        };
        let delta = Delta {
            old_of_new: order
                .old_of_new
                .map(|map| map.into_iter().map(Some).collect()),
            changed: changed.iter().map(|&(o, n)| (Some(o), Some(n))).collect(),
        };
        Some((playbook, delta))
    }
}

/// The keys an entry refers to, in the order written.
fn target_keys(entry: &Entry) -> impl Iterator<Item = &str> {
    entry.references.iter().map(|r| r.target.as_str())
}

/// Where entries go when some of them are edited: unset maps mean nobody moved.
struct Order {
    /// New position → old position.
    old_of_new: Option<Vec<usize>>,
    /// Old position → new position.
    new_of_old: Option<Vec<usize>>,
    /// Old positions of the edited entries, which leave every index and join it again.
    edited: Vec<bool>,
}

impl Order {
    /// The order after `edited` (old position, new version; sorted by old position) replace
    /// their old versions: the entries that were not edited keep their relative order, and
    /// the edited ones are merged in where they now sort.
    fn after(entries: &[Arc<Entry>], edited: &[(usize, &Arc<Entry>)]) -> Order {
        let mut is_edited = vec![false; entries.len()];
        edited.iter().for_each(|(old, _)| is_edited[*old] = true);
        let mut incoming: Vec<(usize, &Arc<Entry>)> = edited.to_vec();
        incoming.sort_by(|a, b| newest_first(a.1, b.1));
        let mut incoming = incoming.into_iter().peekable();
        let mut staying = (0..entries.len()).filter(|o| !is_edited[*o]).peekable();
        let mut old_of_new = Vec::with_capacity(entries.len());
        loop {
            let next = match (staying.peek(), incoming.peek()) {
                (Some(&o), Some((_, entry))) if newest_first(&entries[o], entry).is_gt() => {
                    incoming.next().map(|(o, _)| o)
                }
                (Some(_), _) => staying.next(),
                (None, _) => incoming.next().map(|(o, _)| o),
            };
            match next {
                Some(old) => old_of_new.push(old),
                None => break,
            }
        }
        let moved = old_of_new.iter().enumerate().any(|(n, o)| n != *o);
        let new_of_old = moved.then(|| {
            let mut new_of_old = vec![0; entries.len()];
            old_of_new
                .iter()
                .enumerate()
                .for_each(|(n, o)| new_of_old[*o] = n);
            new_of_old
        });
        Order {
            old_of_new: moved.then_some(old_of_new),
            new_of_old,
            edited: is_edited,
        }
    }

    fn new_position(&self, old: usize) -> usize {
        self.new_of_old.as_ref().map_or(old, |map| map[old])
    }

    /// `list` (old positions, ascending) in new positions, without the edited entries; the
    /// order holds, since entries that were not edited keep their relative order.
    fn remap(&self, list: &[usize]) -> Vec<usize> {
        list.iter()
            .filter(|o| !self.edited[**o])
            .map(|&o| self.new_position(o))
            .collect()
    }
}

/// What a slug-keyed index reads of an entry: the names as written, and their slugs.
type Names = for<'e> fn(&'e Entry) -> (&'e [String], &'e [String]);

/// One edit of the indexes: entries before and after, and where each edited one went.
struct Update<'a> {
    old: &'a [Arc<Entry>],
    new: &'a [Arc<Entry>],
    order: &'a Order,
    /// (old position, new position) of each edited entry.
    changed: &'a [(usize, usize)],
}

impl Update<'_> {
    /// Lists of positions indexed by a small number (kind, practice) that `groups` gives for
    /// an entry. Shared when no edited entry moved or changed its groups.
    fn lists(
        &self,
        lists: &Arc<Vec<Vec<usize>>>,
        groups: impl Fn(&Entry) -> Vec<usize>,
    ) -> Arc<Vec<Vec<usize>>> {
        let moved = self.order.new_of_old.is_some();
        let same = |&(o, n): &(usize, usize)| groups(&self.old[o]) == groups(&self.new[n]);
        if !moved && self.changed.iter().all(same) {
            return lists.clone();
        }
        let mut lists: Vec<Vec<usize>> = match moved {
            true => lists.iter().map(|list| self.order.remap(list)).collect(),
            false => (**lists).clone(),
        };
        for &(o, n) in self.changed {
            if !moved {
                groups(&self.old[o])
                    .into_iter()
                    .for_each(|g| remove_sorted(&mut lists[g], o));
            }
            for group in groups(&self.new[n]) {
                insert_sorted(&mut lists[group], n);
            }
        }
        Arc::new(lists)
    }

    /// Whether nobody moved and each edited entry kept its date (an entry can keep its
    /// place with another date, and so change months).
    fn same_dates(&self) -> bool {
        self.order.new_of_old.is_none()
            && (self.changed.iter()).all(|&(o, n)| self.old[o].date == self.new[n].date)
    }

    /// Whether the edits leave a slug-keyed index as it was: nobody moved and each edited
    /// entry is in the same groups, spelled the same.
    fn same_groups(&self, groups: Names) -> bool {
        self.order.new_of_old.is_none()
            && self
                .changed
                .iter()
                .all(|&(o, n)| groups(&self.old[o]) == groups(&self.new[n]))
    }

    fn tags(&self, tags: &Arc<Vec<TagGroup>>) -> Arc<Vec<TagGroup>> {
        let of: Names = |e| (&e.tags, &e.tag_slugs);
        if self.same_groups(of) {
            return tags.clone();
        }
        let mut groups: Vec<(String, String, Vec<usize>)> = tags
            .iter()
            .map(|g| (g.slug.clone(), g.name.clone(), g.entries.clone()))
            .collect();
        let touched = self.regroup(&mut groups, of);
        let mut tags: Vec<TagGroup> = groups
            .into_iter()
            .filter(|(_, _, entries)| !entries.is_empty())
            .map(|(slug, name, entries)| TagGroup {
                slug,
                name,
                entries,
            })
            .collect();
        for group in tags.iter_mut().filter(|g| touched.contains(&g.slug)) {
            group.name = self.first_spelling(&group.entries, &group.slug, of);
        }
        Arc::new(tags)
    }

    fn people(&self, people: &Arc<Vec<PersonGroup>>, config: &Config) -> Arc<Vec<PersonGroup>> {
        let of: Names = |e| (&e.people, &e.person_slugs);
        if self.same_groups(of) {
            return people.clone();
        }
        let mut groups: Vec<(String, String, Vec<usize>)> = people
            .iter()
            .map(|g| (g.slug.clone(), g.id.clone(), g.entries.clone()))
            .collect();
        let touched = self.regroup(&mut groups, of);
        // Configured people keep their page, even with no entry, and the configuration's
        // spelling; the others are shown as their newest entry spells them.
        let configured = |slug: &str| config.people.keys().any(|id| url_slug(id) == slug);
        let mut people = Vec::with_capacity(groups.len());
        for (slug, id, entries) in groups {
            if !touched.contains(&slug) || configured(&slug) {
                people.push(PersonGroup { id, slug, entries });
            } else if !entries.is_empty() {
                let id = self.first_spelling(&entries, &slug, of);
                people.push(PersonGroup { id, slug, entries });
            }
        }
        Arc::new(people)
    }

    /// Moves the edited entries between slug-keyed `groups` (slug, spelling, positions;
    /// sorted by slug): out of the groups of their old version, into those of the new one,
    /// new groups made as needed. Returns the slugs of the groups it touched.
    fn regroup(&self, groups: &mut Vec<(String, String, Vec<usize>)>, of: Names) -> Vec<String> {
        let moved = self.order.new_of_old.is_some();
        if moved {
            for (_, _, entries) in groups.iter_mut() {
                *entries = self.order.remap(entries);
            }
        }
        let mut touched = Vec::new();
        for &(o, n) in self.changed {
            let (_, old_slugs) = of(&self.old[o]);
            for slug in old_slugs {
                if let Ok(at) = groups.binary_search_by(|g| g.0.as_str().cmp(slug)) {
                    if !moved {
                        remove_sorted(&mut groups[at].2, o);
                    }
                    touched.push(slug.clone());
                }
            }
            let (names, new_slugs) = of(&self.new[n]);
            for (name, slug) in names.iter().zip(new_slugs) {
                let at = match groups.binary_search_by(|g| g.0.as_str().cmp(slug)) {
                    Ok(at) => at,
                    Err(at) => {
                        groups.insert(at, (slug.clone(), name.clone(), Vec::new()));
                        at
                    }
                };
                insert_sorted(&mut groups[at].2, n);
                touched.push(slug.clone());
            }
        }
        touched
    }

    /// How the newest entry of `entries` spells `slug`: the name its group is shown by.
    fn first_spelling(&self, entries: &[usize], slug: &str, of: Names) -> String {
        let (names, slugs) = of(&self.new[entries[0]]);
        let at = slugs.iter().position(|s| s == slug).unwrap_or_default();
        names[at].clone()
    }

    /// Backlinks, indexed by position: edited entries leave the lists of the targets they
    /// named and join those they name now.
    fn backlinks(
        &self,
        backlinks: &Arc<Vec<Vec<usize>>>,
        old_keys: &HashMap<String, usize>,
        new_keys: &HashMap<String, usize>,
    ) -> Arc<Vec<Vec<usize>>> {
        let moved = self.order.new_of_old.is_some();
        let same =
            |&(o, n): &(usize, usize)| target_keys(&self.old[o]).eq(target_keys(&self.new[n]));
        if !moved && self.changed.iter().all(same) {
            return backlinks.clone();
        }
        let mut lists: Vec<Vec<usize>> = match &self.order.old_of_new {
            Some(old_of_new) => old_of_new
                .iter()
                .map(|&o| self.order.remap(&backlinks[o]))
                .collect(),
            None => (**backlinks).clone(),
        };
        for &(o, n) in self.changed {
            if !moved {
                for target in reference_targets(old_keys, &self.old[o], o) {
                    remove_sorted(&mut lists[target], o);
                }
            }
            for target in reference_targets(new_keys, &self.new[n], n) {
                insert_sorted(&mut lists[target], n);
            }
        }
        Arc::new(lists)
    }
}

fn insert_sorted(list: &mut Vec<usize>, position: usize) {
    if let Err(at) = list.binary_search(&position) {
        list.insert(at, position);
    }
}

fn remove_sorted(list: &mut Vec<usize>, position: usize) {
    if let Ok(at) = list.binary_search(&position) {
        list.remove(at);
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::content::parse::parse_entry;
    use crate::testing::Random;

    const KINDS: &[&str] = &["advice", "goals", "conversations", "achievements"];

    /// Entry `slug` of `folder` with random date, title, tags, people and related entries
    /// among `keys`, from small pools so that ties and shared groups are common, and
    /// spellings that differ only in case.
    fn random_entry(random: &mut Random, folder: &str, slug: &str, keys: &[String]) -> Arc<Entry> {
        let config = Config::default();
        let kind = config
            .schema
            .kind_by_folder(folder)
            .expect("a default kind");
        let tags = ["ledger", "Ledger", "hiring", "q3", "日本"];
        let people = ["dana", "Dana", "lee", "priya"];
        let mut front = format!(
            "title: {}\ndate: 2026-0{}-1{}\ntags: [{}, {}]\npeople: [{}]\n",
            random.pick(&["Talk", "Plan", "Ship it", "Retro"]),
            1 + random.below(3),
            random.below(3),
            random.pick(&tags),
            random.pick(&tags),
            random.pick(&people),
        );
        if random.below(3) == 0 {
            front.push_str("practices: [show-loyalty, get-feedback]\n");
        }
        if folder == "advice" {
            front.push_str(&format!("from: {}\n", random.pick(&people)));
        }
        let related: Vec<&str> = (0..random.below(3))
            .map(|_| keys[random.below(keys.len())].as_str())
            .collect();
        if !related.is_empty() {
            front.push_str(&format!("related: [{}]\n", related.join(", ")));
        }
        let rel = PathBuf::from(format!("content/{folder}/{slug}.md"));
        let text = format!("---\n{front}---\nBody {}.\n", random.below(1000));
        let (entry, diagnostics) = parse_entry(&config, kind, &rel, &text);
        Arc::new(entry.unwrap_or_else(|| panic!("{text}: {diagnostics:?}")))
    }

    fn assert_same_indexes(got: &Playbook, want: &Playbook, case: &str) {
        let keys = |p: &Playbook| p.entries.iter().map(|e| e.key.clone()).collect::<Vec<_>>();
        assert_eq!(keys(got), keys(want), "{case}: order");
        for (a, b) in got.entries.iter().zip(&want.entries) {
            assert!(Arc::ptr_eq(a, b), "{case}: {} is the new version", a.key);
        }
        assert_eq!(got.by_kind, want.by_kind, "{case}: by kind");
        assert_eq!(got.tags, want.tags, "{case}: tags");
        assert_eq!(got.people, want.people, "{case}: people");
        assert_eq!(got.months, want.months, "{case}: months");
        assert_eq!(got.by_practice, want.by_practice, "{case}: practices");
        assert_eq!(got.backlinks, want.backlinks, "{case}: backlinks");
        assert_eq!(got.by_key, want.by_key, "{case}: keys");
    }

    /// Edits of one to three entries: the indexes kept up to date equal those built anew,
    /// and the delta is the one found by comparing the two playbooks.
    #[test]
    fn edited_indexes_equal_indexes_built_anew() {
        for seed in 1..1000u64 {
            let mut random = Random(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let slugs: Vec<(String, String)> = (0..14)
                .map(|i| (KINDS[i % KINDS.len()].to_string(), format!("e{i}")))
                .collect();
            let keys: Vec<String> = slugs.iter().map(|(f, s)| format!("{f}/{s}")).collect();
            let mut entries: Vec<Arc<Entry>> = slugs
                .iter()
                .map(|(folder, slug)| random_entry(&mut random, folder, slug, &keys))
                .collect();
            let old = Playbook::new(Config::default(), entries.clone());
            let edited: Vec<Arc<Entry>> = (0..1 + random.below(3))
                .map(|_| {
                    let at = random.below(slugs.len());
                    let (folder, slug) = &slugs[at];
                    entries[at] = random_entry(&mut random, folder, slug, &keys);
                    entries[at].clone()
                })
                .collect();
            // An entry edited twice in one batch counts in its last version.
            let edited: Vec<Arc<Entry>> = edited
                .iter()
                .filter(|e| entries.iter().any(|now| Arc::ptr_eq(now, e)))
                .cloned()
                .collect();
            let want = Playbook::new(Config::default(), entries.clone());
            let (got, delta) = old.with_edited(&edited).expect("every key is known");
            let case = format!("seed {seed}");
            assert_same_indexes(&got, &want, &case);
            let mut expected = Delta::between(&old, &want);
            let mut delta = delta;
            expected.changed.sort();
            delta.changed.sort();
            assert_eq!(delta, expected, "{case}: delta");
        }
    }

    #[test]
    fn an_unknown_key_or_another_files_key_is_not_an_edit() {
        let mut random = Random(7);
        let keys = vec!["advice/a".to_string()];
        let a = random_entry(&mut random, "advice", "a", &keys);
        let old = Playbook::new(Config::default(), vec![a]);
        let b = random_entry(&mut random, "advice", "b", &keys);
        assert!(old.with_edited(&[b]).is_none());
        let mut moved = (*random_entry(&mut random, "advice", "a", &keys)).clone();
        moved.source = PathBuf::from("content/advice/other.md");
        assert!(old.with_edited(&[Arc::new(moved)]).is_none());
    }

    #[test]
    fn a_tag_written_twice_lists_its_entry_once() {
        let config = Config::default();
        let kind = config.schema.kind_by_folder("goals").expect("goals");
        let text = "---\ntitle: T\ndate: 2026-01-01\ntags: [ledger, Ledger]\n---\nx\n";
        let rel = PathBuf::from("content/goals/t.md");
        let entry = parse_entry(&config, kind, &rel, text).0.expect("sound");
        let playbook = Playbook::new(config, vec![Arc::new(entry)]);
        assert_eq!(playbook.tags[0].entries, [0]);
        assert_eq!(playbook.tags[0].name, "ledger");
    }
}
