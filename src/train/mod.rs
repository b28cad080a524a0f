//! Training: data sets, their preparation, the classical head, losses, optimizers and the training loop.
//!
//! Nothing here reads a file or writes to a terminal. Callers hand over the text of a CSV file and
//! its name (for messages), and receive data sets, per-epoch reports and errors to render.
//!
//! Every random choice of a run comes from the train block's `seed`, each purpose drawing from its
//! own ChaCha8 stream (see `Stream`), so that adding, say, a shuffle never changes the head's
//! initial weights.

pub mod data;
pub mod generate;
pub(crate) mod head;
pub mod layers;
pub mod loss;
mod model;
mod objective;
pub(crate) mod optim;
pub(crate) mod prepare;
pub(crate) mod run;

pub use data::{features_from_csv, from_csv, rows_from_csv, DataError, Dataset, HeaderFound, HeaderRule, LabelValue};
pub use head::Head;
pub use layers::{LayerTensor, Layers, LayersTrace, Role};
pub use model::{inputs_as_params, SimModel};
pub use objective::train_objective;
pub use prepare::{
    model_inputs, prepare, prepare_with_test, row_width, MinMax, PreparedData, Scaling, Split, Standardization,
};
pub use run::{
    train, BatchCotangentFn, BatchRow, Control, EpochReport, Model, ModelError, RowVjp, StopReason, TrainError,
    TrainSummary,
};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The purposes that draw random numbers from a run's seed, each on its own ChaCha8 stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Stream {
    /// The initial values of the circuit's params.
    Params = 0,
    /// The initial weights and biases of the head's linear layers.
    Head = 1,
    /// The builtin data generators (`moons`, `circles`, `xor`).
    Data = 2,
    /// The shuffle of the rows before the train/test split.
    Split = 3,
    /// The per-epoch reshuffle of the training rows.
    Shuffle = 4,
    /// Shot sampling (see [`shot_seed`]).
    Shots = 5,
    /// SPSA's random perturbations.
    Spsa = 6,
    /// The initial weights and biases of the `encode` layers' linear layers.
    Encode = 7,
    /// The seed a builtin `test` data set is generated from, so that it differs from the
    /// block's `data` drawn by the same generator.
    TestData = 8,
}

/// The random number generator for one purpose of a run with seed `seed`.
pub(crate) fn rng_for(seed: u64, stream: Stream) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream as u64);
    rng
}

/// A seed for one shot-sampled evaluation, fixed by where the evaluation sits in the run rather
/// than by the order in which threads happen to reach it, so results do not depend on the thread
/// count.
pub fn shot_seed(seed: u64, coordinates: &[u64]) -> u64 {
    let mut state = splitmix64(seed ^ (Stream::Shots as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    for &coordinate in coordinates {
        state = splitmix64(state ^ splitmix64(coordinate.wrapping_add(0x632B_E59B_D9B4_E019)));
    }
    state
}

/// Sebastiano Vigna's SplitMix64 finaliser: a cheap bijective mix of 64 bits.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn streams_of_one_seed_differ_and_repeat() {
        let head_draw: f64 = rng_for(7, Stream::Head).random();
        let data_draw: f64 = rng_for(7, Stream::Data).random();
        assert_ne!(head_draw, data_draw);
        assert_eq!(head_draw, rng_for(7, Stream::Head).random::<f64>());
    }

    #[test]
    fn shot_seeds_depend_on_every_coordinate() {
        assert_ne!(shot_seed(1, &[0, 1]), shot_seed(1, &[1, 0]));
        assert_ne!(shot_seed(1, &[0, 1]), shot_seed(2, &[0, 1]));
        assert_eq!(shot_seed(1, &[3, 4]), shot_seed(1, &[3, 4]));
    }
}
