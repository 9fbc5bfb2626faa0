//! A weighted choice between strategies that is cheap to generate.
//!
//! proptest's `prop_oneof!` prepares, for every arm before the chosen one, a
//! lazy value tree that holds a clone of the test runner (its configuration
//! and a freshly seeded RNG), so that shrinking can switch to an earlier arm.
//! A JSON value makes a dozen such choices, and that cloning dominated
//! generation: about 150 µs for a 140-byte document.
//! [`Choice`] keeps a 16-byte seed instead, and builds a runner only when
//! shrinking tries the first arm, which is always the simplest one.

use std::fmt;
use std::sync::Arc;

use proptest::prelude::*;
use proptest::strategy::{NewTree, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// Picks one of several strategies with probability proportional to its
/// weight; shrinks by trying the first arm once, then within the chosen arm.
pub(crate) struct Choice<T> {
    arms: Arc<[(u32, BoxedStrategy<T>)]>,
    total_weight: u32,
}

/// Builds a [`Choice`]: `choice![weight => strategy, ...]`, simplest arm first.
macro_rules! choice {
    ($($weight:expr => $strategy:expr),+ $(,)?) => {
        $crate::choice::Choice::new(vec![
            $(($weight, proptest::strategy::Strategy::boxed($strategy))),+
        ])
    };
}
pub(crate) use choice;

impl<T: fmt::Debug + 'static> Choice<T> {
    /// # Panics
    ///
    /// Panics if there is no arm or the weights sum to 0.
    pub(crate) fn new(arms: Vec<(u32, BoxedStrategy<T>)>) -> Choice<T> {
        let total_weight = arms.iter().map(|&(weight, _)| weight).sum();
        assert!(
            total_weight > 0,
            "a choice needs an arm with a positive weight"
        );
        Choice {
            arms: arms.into(),
            total_weight,
        }
    }
}

impl<T> Clone for Choice<T> {
    fn clone(&self) -> Self {
        Choice {
            arms: Arc::clone(&self.arms),
            total_weight: self.total_weight,
        }
    }
}

impl<T> fmt::Debug for Choice<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Choice")
            .field("n_arms", &self.arms.len())
            .finish()
    }
}

impl<T: fmt::Debug + 'static> Strategy for Choice<T> {
    type Tree = ChoiceTree<T>;
    type Value = T;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        let mut ticket = runner.rng().random_range(0..self.total_weight);
        let mut pick = 0;
        for (arm_idx, &(weight, _)) in self.arms.iter().enumerate() {
            if ticket < weight {
                pick = arm_idx;
                break;
            }
            ticket -= weight;
        }
        let first_arm_seed = (pick > 0).then(|| runner.rng().random::<[u8; 16]>());
        let current = self.arms[pick].1.new_tree(runner)?;
        Ok(ChoiceTree {
            arms: Arc::clone(&self.arms),
            first_arm_seed,
            current,
            previous: None,
        })
    }
}

/// The value tree of a [`Choice`].
pub(crate) struct ChoiceTree<T> {
    arms: Arc<[(u32, BoxedStrategy<T>)]>,
    /// The seed for generating from the first arm; `Some` until that has been
    /// tried.
    first_arm_seed: Option<[u8; 16]>,
    current: Box<dyn ValueTree<Value = T>>,
    /// The tree before the switch to the first arm, to go back to if the
    /// switch made the test pass.
    previous: Option<Box<dyn ValueTree<Value = T>>>,
}

impl<T: fmt::Debug> ValueTree for ChoiceTree<T> {
    type Value = T;

    fn current(&self) -> T {
        self.current.current()
    }

    fn simplify(&mut self) -> bool {
        self.previous = None;
        if let Some(seed) = self.first_arm_seed.take() {
            let rng = TestRng::from_seed(RngAlgorithm::XorShift, &seed);
            let mut runner = TestRunner::new_with_rng(Config::default(), rng);
            if let Ok(first) = self.arms[0].1.new_tree(&mut runner) {
                self.previous = Some(std::mem::replace(&mut self.current, first));
                return true;
            }
        }
        self.current.simplify()
    }

    fn complicate(&mut self) -> bool {
        if let Some(previous) = self.previous.take() {
            self.current = previous;
            return true;
        }
        self.current.complicate()
    }
}
