//! The differential verdict: every cell gets the same generated calls, and
//! is judged against the other cells instead of against an expectation.
//!
//! The *voters* of a world are its guests in the wasmtime host (in-process,
//! so cheap) and the contract's native implementations, if it has any
//! (json-tools has `json-format`).  Every voter answers every case once per
//! process, and the answers are shared by all the cells that ask.  A cell
//! passes a case when its answer is the *consensus*: the reference guest's
//! answer where the contract names one, otherwise the answer of a strict
//! majority of the voters.  A trap, or an answer the contract rejects, never
//! agrees with anything, not even with another trap.
//!
//! So a bug in one guest is one red row, a bug in one host is one red
//! column, and a bug in a native reference is outvoted rather than turning
//! every correct guest red.  A failing case is shrunk while the cell still
//! disagrees with the consensus of the shrunk call, and reported in WAVE
//! with each distinct answer and the voters that gave it.

use std::{
    collections::HashMap,
    fmt,
    sync::{Arc, Mutex, OnceLock},
};

use proptest::strategy::{BoxedStrategy, Strategy, Union};
use witness_host_api::{
    Answer, Function, FunctionKey, GuestArtifact, Host, HostError, Invocation, Limits, Session,
    Value,
};

use crate::{
    contract::Contract,
    generate::{self, Budget, Overrides},
    project::Project,
};

/// An answer as the contract compares it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Vote {
    /// A value, after the contract's normalisation (json-tools keeps only
    /// the `at byte N` of an error message).
    Value(Option<Value>),
    /// A trap, or an answer the contract rejects: it agrees with nothing.
    Bad(String),
}

impl Vote {
    /// Whether two votes agree: two equal values (see [`Value`]'s equality).
    pub fn agrees_with(&self, other: &Vote) -> bool {
        matches!(self, Vote::Value(_)) && self == other
    }
}

impl fmt::Display for Vote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Vote::Value(None) => f.write_str("returned nothing"),
            Vote::Value(Some(value)) => {
                let text = witness_value::wave::to_string(value);
                if text.len() > 400 {
                    let end = (0..=400)
                        .rev()
                        .find(|index| text.is_char_boundary(*index))
                        .unwrap_or(0);
                    write!(f, "{}... ({} bytes of WAVE)", &text[..end], text.len())
                } else {
                    f.write_str(&text)
                }
            }
            Vote::Bad(what) => f.write_str(what),
        }
    }
}

/// How an answer of a function is compared ([`Rules::vote`]).
pub type VoteRule = Box<dyn Fn(&Function, Answer) -> Vote + Send + Sync>;

/// How a contract's answers are compared, and how much fuel its calls get.
pub struct Rules {
    /// The answer as compared; the default keeps values as they are and
    /// makes a trap [`Vote::Bad`].
    pub vote: VoteRule,
    /// How many calls' worth of fuel a call of a function gets.
    pub fuel_calls: Box<dyn Fn(&FunctionKey) -> u64 + Send + Sync>,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            vote: Box::new(|_, answer| match answer {
                Answer::Returned(value) => Vote::Value(value),
                Answer::Trapped(message) => Vote::Bad(format!("trap: {message}")),
            }),
            fuel_calls: Box::new(|_| 1),
        }
    }
}

/// A native implementation of a contract that votes: it answers a call
/// without any host.
pub struct NativeVoter {
    /// Its name in reports, `native::<name>`.
    pub name: String,
    /// Its answer.
    pub answer: Box<dyn Fn(&Invocation) -> Answer + Send + Sync>,
}

/// One differential suite of one world: which functions it calls, with
/// which values, and how it judges.
pub struct Spec {
    /// The suite's name, for case ids and case seeds.
    pub suite: &'static str,
    /// The name of its regression file in the contract's
    /// `regressions/` (`<name>.txt`).
    pub regressions: String,
    /// The functions it calls: those of the world that witness can call.
    pub functions: Vec<Function>,
    /// Why the others are not called: `skipped: <reason>` lines.
    pub skipped: Vec<String>,
    /// The strategies a contract gives for some parameters.
    pub overrides: Overrides,
    /// How big generated values get.
    pub budget: Budget,
    /// How answers are compared.
    pub rules: Rules,
    /// The guest whose answer decides, if the contract names one.
    pub reference: Option<String>,
}

impl Spec {
    /// A spec for the functions of a world, skipping (and listing) those
    /// witness cannot call yet.
    pub fn new(suite: &'static str, functions: Vec<Function>) -> Spec {
        let (callable, skipped): (Vec<Function>, Vec<Function>) = functions
            .into_iter()
            .partition(|function| function.unsupported().is_none());
        Spec {
            suite,
            regressions: suite.to_owned(),
            skipped: skipped
                .iter()
                .filter_map(|function| Some(format!("skipped: {}", function.unsupported()?)))
                .collect(),
            functions: callable,
            overrides: Overrides::new(),
            budget: Budget::default(),
            rules: Rules::default(),
            reference: None,
        }
    }

    /// The strategy of one case: which function, and its arguments.
    pub fn strategy(&self) -> BoxedStrategy<(usize, Vec<Value>)> {
        let per_function: Vec<BoxedStrategy<(usize, Vec<Value>)>> = self
            .functions
            .iter()
            .enumerate()
            .map(|(index, function)| {
                generate::arguments(function, &self.overrides, self.budget)
                    .prop_map(move |args| (index, args))
                    .boxed()
            })
            .collect();
        Union::new(per_function).boxed()
    }

    /// The invocation a case makes.
    pub fn invocation(&self, (index, args): &(usize, Vec<Value>)) -> Invocation {
        let function = &self.functions[*index];
        Invocation {
            function: function.key.clone(),
            args: args.clone(),
            fuel_calls: (self.rules.fuel_calls)(&function.key),
        }
    }

    /// The case as a call in WAVE.
    pub fn wave(&self, (index, args): &(usize, Vec<Value>)) -> String {
        witness_value::wave::call(&self.functions[*index], args)
    }

    /// An answer as it is compared.
    pub fn vote(&self, function: &FunctionKey, answer: Answer) -> Vote {
        match self
            .functions
            .iter()
            .find(|candidate| candidate.key == *function)
        {
            Some(function) => (self.rules.vote)(function, answer),
            None => Vote::Bad(format!("{function} is not a function of the contract")),
        }
    }
}

/// The voters of one world, and every answer they gave, by case seed.
pub struct Voters {
    names: Vec<String>,
    sessions: Mutex<Vec<(String, Box<dyn Session>)>>,
    natives: Vec<NativeVoter>,
    /// Why a guest does not vote (it did not build, or did not load).
    pub absent: Vec<String>,
    votes: Mutex<HashMap<[u8; 32], Arc<Vec<Vote>>>>,
}

impl Voters {
    /// Opens every guest of a world in `host` (the wasmtime host) as a voter,
    /// beside the contract's native voters.  A guest that cannot be opened
    /// does not vote, and [`Voters::absent`] says why.
    pub fn open(host: &dyn Host, guests: &[GuestArtifact], natives: Vec<NativeVoter>) -> Voters {
        let mut names = Vec::new();
        let mut sessions = Vec::new();
        let mut absent = Vec::new();
        for artifact in guests {
            let name = format!("{}::{}", artifact.name, host.name());
            match host.open(artifact) {
                Ok(session) => {
                    names.push(name.clone());
                    sessions.push((name, session));
                }
                Err(err) => absent.push(format!("{name} does not vote: {err}")),
            }
        }
        names.extend(
            natives
                .iter()
                .map(|native| format!("native::{}", native.name)),
        );
        Voters {
            names,
            sessions: Mutex::new(sessions),
            natives,
            absent,
            votes: Mutex::default(),
        }
    }

    /// The voters' names, in the order of their votes.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Every voter's vote on every invocation, computed afresh.
    ///
    /// # Errors
    /// When a voting host itself fails: the verdicts cannot be trusted then.
    pub fn vote_now(
        &self,
        spec: &Spec,
        invocations: &[Invocation],
    ) -> Result<Vec<Vec<Vote>>, String> {
        let mut votes: Vec<Vec<Vote>> =
            vec![Vec::with_capacity(self.names.len()); invocations.len()];
        let mut sessions = self.sessions.lock().unwrap_or_else(|err| err.into_inner());
        for (name, session) in sessions.iter_mut() {
            let answers = call_in_batches(session.as_mut(), invocations)
                .map_err(|err| format!("the voter {name} failed: {err}"))?;
            for ((case_votes, invocation), answer) in votes.iter_mut().zip(invocations).zip(answers)
            {
                case_votes.push(spec.vote(&invocation.function, answer));
            }
        }
        drop(sessions);
        for native in &self.natives {
            for (case_votes, invocation) in votes.iter_mut().zip(invocations) {
                case_votes.push(spec.vote(&invocation.function, (native.answer)(invocation)));
            }
        }
        Ok(votes)
    }

    /// The votes on the cases of these seeds, each computed once per process.
    ///
    /// # Errors
    /// As [`Voters::vote_now`].
    pub fn votes(
        &self,
        spec: &Spec,
        seeds: &[[u8; 32]],
        invocations: &[Invocation],
    ) -> Result<Vec<Arc<Vec<Vote>>>, String> {
        // One computation at a time: cells that ask for the same cases wait
        // for the first rather than compute them again.
        let mut cache = self.votes.lock().unwrap_or_else(|err| err.into_inner());
        let missing: Vec<usize> = (0..seeds.len())
            .filter(|index| !cache.contains_key(&seeds[*index]))
            .collect();
        if !missing.is_empty() {
            let to_vote: Vec<Invocation> = missing
                .iter()
                .map(|index| invocations[*index].clone())
                .collect();
            let fresh = self.vote_now(spec, &to_vote)?;
            for (index, votes) in missing.into_iter().zip(fresh) {
                cache.insert(seeds[index], Arc::new(votes));
            }
        }
        Ok(seeds.iter().map(|seed| Arc::clone(&cache[seed])).collect())
    }
}

/// Runs invocations in batches of [`crate::suite::BATCH`].
///
/// # Errors
/// When the session fails, or answers with the wrong number of answers.
pub fn call_in_batches(
    session: &mut dyn Session,
    invocations: &[Invocation],
) -> Result<Vec<Answer>, HostError> {
    let mut answers = Vec::with_capacity(invocations.len());
    for batch in invocations.chunks(crate::suite::BATCH) {
        let batch_answers = session.call_values(batch)?;
        if batch_answers.len() != batch.len() {
            return Err(HostError::Crashed {
                host: "?".to_owned(),
                guest: "?".to_owned(),
                message: format!(
                    "answered {} answers for a batch of {} calls",
                    batch_answers.len(),
                    batch.len()
                ),
                stderr: String::new(),
            });
        }
        answers.extend(batch_answers);
    }
    Ok(answers)
}

/// What the voters agree a case's answer is, if they agree.
pub fn consensus<'votes>(
    spec: &Spec,
    names: &[String],
    votes: &'votes [Vote],
) -> Option<&'votes Vote> {
    if let Some(reference) = &spec.reference {
        let index = names
            .iter()
            .position(|name| name.split("::").next() == Some(reference.as_str()))?;
        return Some(&votes[index]).filter(|vote| matches!(vote, Vote::Value(_)));
    }
    let mut tally: Vec<(&Vote, usize)> = Vec::new();
    for vote in votes.iter().filter(|vote| matches!(vote, Vote::Value(_))) {
        match tally.iter_mut().find(|(seen, _)| *seen == vote) {
            Some((_, count)) => *count += 1,
            None => tally.push((vote, 1)),
        }
    }
    let (vote, count) = tally.into_iter().max_by_key(|(_, count)| *count)?;
    (count * 2 > votes.len()).then_some(vote)
}

/// The account of a disagreement: the cell's answer, and every distinct
/// answer of the voters with who gave it.
pub fn describe(spec: &Spec, cell: &str, mine: &Vote, names: &[String], votes: &[Vote]) -> String {
    let mut groups: Vec<(&Vote, Vec<&str>)> = Vec::new();
    for (name, vote) in names.iter().zip(votes) {
        match groups
            .iter_mut()
            .find(|(seen, _)| *seen == vote && matches!(vote, Vote::Value(_)))
        {
            Some((_, voters)) => voters.push(name),
            None => groups.push((vote, vec![name.as_str()])),
        }
    }
    groups.sort_by_key(|(_, voters)| std::cmp::Reverse(voters.len()));
    let decided = match (&spec.reference, consensus(spec, names, votes)) {
        (Some(reference), Some(_)) => format!("the reference guest `{reference}` decides"),
        (Some(reference), None) => format!("the reference guest `{reference}` gave no value"),
        (None, Some(_)) => format!("a majority of the {} voters decides", names.len()),
        (None, None) => format!("the {} voters have no majority", names.len()),
    };
    let mut text = format!("  {cell} (this cell): {mine}\n  {decided}:");
    for (vote, voters) in groups {
        text.push_str(&format!("\n    {}: {vote}", voters.join(", ")));
    }
    text
}

/// The voters of every contract, opened once per process on first use and
/// shared by every cell that asks: both front ends hand one to the suites
/// through [`crate::suite::SuiteConfig::voters`].
pub struct VoterPool {
    project: Project,
    limits: Limits,
    /// Every built guest of a contract, as the front end has them (it
    /// builds what is not built yet).
    artifacts: Box<ArtifactsOf>,
    host: OnceLock<Result<Arc<dyn Host>, String>>,
    contracts: Mutex<HashMap<Contract, VotersSlot>>,
}

/// Every built guest of a contract, as a front end has them.
type ArtifactsOf = dyn Fn(&Contract) -> Result<Vec<GuestArtifact>, String> + Send + Sync;

/// A contract's voters, opened once by the first cell that asks.
type VotersSlot = Arc<OnceLock<Result<Arc<Voters>, String>>>;

impl fmt::Debug for VoterPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VoterPool")
            .field("project", &self.project)
            .finish_non_exhaustive()
    }
}

impl VoterPool {
    /// A pool whose voters are the guests `artifacts` gives for a contract, in
    /// a wasmtime host of their own with `limits`.
    pub fn new(
        project: Project,
        limits: Limits,
        artifacts: impl Fn(&Contract) -> Result<Vec<GuestArtifact>, String> + Send + Sync + 'static,
    ) -> VoterPool {
        VoterPool {
            project,
            limits,
            artifacts: Box::new(artifacts),
            host: OnceLock::new(),
            contracts: Mutex::default(),
        }
    }

    /// The voters of `contract`, opened on first use.
    ///
    /// # Errors
    /// When the voting host cannot be created or the guests cannot be had.
    pub fn voters(&self, contract: &Contract) -> Result<Arc<Voters>, String> {
        let slot = Arc::clone(
            self.contracts
                .lock()
                .unwrap_or_else(|err| err.into_inner())
                .entry(contract.clone())
                .or_default(),
        );
        slot.get_or_init(|| {
            let host = self
                .host
                .get_or_init(|| {
                    crate::hosts::create(&self.project, "wasmtime", self.limits)
                        .map_err(|err| format!("the voters' wasmtime host: {err:#}"))
                })
                .clone()?;
            let artifacts = (self.artifacts)(contract)?;
            let voters = Voters::open(
                host.as_ref(),
                &artifacts,
                crate::json_tools::native_voters(contract),
            );
            Ok(Arc::new(voters))
        })
        .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(reference: Option<&str>) -> Spec {
        let mut spec = Spec::new("differential", Vec::new());
        spec.reference = reference.map(str::to_owned);
        spec
    }

    fn names(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    fn value(n: u8) -> Vote {
        Vote::Value(Some(Value::U8(n)))
    }

    #[test]
    fn a_strict_majority_decides() {
        let voters = names(&["a::wasmtime", "b::wasmtime", "c::wasmtime", "native::x"]);
        let votes = [value(1), value(1), value(1), value(2)];
        assert_eq!(consensus(&spec(None), &voters, &votes), Some(&value(1)));
        // Half is not a majority: two against two decides nothing.
        let tied = [value(1), value(1), value(2), value(2)];
        assert_eq!(consensus(&spec(None), &voters, &tied), None);
        // Traps count as voters but never as an answer: two values of
        // four voters is no majority.
        let trapping = [
            value(1),
            value(1),
            Vote::Bad("trap: unreachable".into()),
            Vote::Bad("trap: unreachable".into()),
        ];
        assert_eq!(consensus(&spec(None), &voters, &trapping), None);
    }

    #[test]
    fn a_reference_guest_decides_alone_but_never_with_a_trap() {
        let voters = names(&["a::wasmtime", "b::wasmtime", "c::wasmtime"]);
        let votes = [value(1), value(2), value(2)];
        assert_eq!(
            consensus(&spec(Some("a")), &voters, &votes),
            Some(&value(1))
        );
        let trapped = [Vote::Bad("trap: x".into()), value(2), value(2)];
        assert_eq!(consensus(&spec(Some("a")), &voters, &trapped), None);
        assert_eq!(consensus(&spec(Some("nobody")), &voters, &votes), None);
    }

    #[test]
    fn traps_agree_with_nothing() {
        let trap = Vote::Bad("trap: x".into());
        assert!(!trap.agrees_with(&trap));
        assert!(value(1).agrees_with(&value(1)));
        assert!(!value(1).agrees_with(&value(2)));
        assert!(Vote::Value(None).agrees_with(&Vote::Value(None)));
    }

    #[test]
    fn the_account_groups_voters_by_answer_largest_first() {
        let voters = names(&["a::wasmtime", "b::wasmtime", "c::wasmtime", "native::x"]);
        let votes = [value(2), value(1), value(1), value(1)];
        let account = describe(&spec(None), "a::node", &value(2), &voters, &votes);
        assert_eq!(
            account,
            "  a::node (this cell): 2\n  a majority of the 4 voters decides:\n    b::wasmtime, c::wasmtime, native::x: 1\n    a::wasmtime: 2"
        );
    }

    #[test]
    fn functions_with_resources_are_listed_as_skipped() {
        let with_resource = Function {
            key: FunctionKey::new(Some("a:b/c"), "open"),
            params: vec![(
                "file".into(),
                witness_host_api::Type::Unsupported("resource file".into()),
            )],
            result: None,
        };
        let plain = Function {
            key: FunctionKey::new(Some("a:b/c"), "add"),
            params: vec![("x".into(), witness_host_api::Type::U8)],
            result: Some(witness_host_api::Type::U8),
        };
        let spec = Spec::new("differential", vec![with_resource, plain]);
        assert_eq!(spec.functions.len(), 1);
        assert_eq!(
            spec.skipped,
            ["skipped: resources are not supported yet (resource file in `a:b/c#open`)"]
        );
    }
}
