//! Builds the lalrpop grammar in `grammar/` into the parser module.
fn main() {
    lalrpop::Configuration::new()
        .set_in_dir("grammar")
        .emit_rerun_directives(true)
        .process()
        .expect("the grammar in grammar/ builds without conflicts");
}
