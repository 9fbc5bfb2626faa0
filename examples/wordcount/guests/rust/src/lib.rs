//! The wordcount contract in Rust: words are what `str::split_whitespace`
//! yields, which splits on Unicode `White_Space`, as the WIT says.

mod bindings {
    //! Bindings for the `wordcount` world, generated at build time.
    wit_bindgen::generate!({ path: "../../contracts/wordcount/wit", world: "wordcount" });
}

use bindings::exports::example::wordcount::words::Guest;

struct Words;

impl Guest for Words {
    fn count(text: String) -> u32 {
        u32::try_from(text.split_whitespace().count()).unwrap_or(u32::MAX)
    }

    fn split(text: String) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }
}

bindings::export!(Words with_types_in bindings);
