declare_rule! {
    /// ## What it does
    /// Reports a file that was found or named but could not be read: no
    /// permission, a special file such as a FIFO or device, or a read error.
    ///
    /// ## Why is this bad?
    /// A definition that cannot be read cannot be checked; the other files
    /// are still linted, and the run fails so the gap is not missed.
    ///
    /// ## Example
    /// A file `machine.asl.json` with mode `000`.
    pub static IO_ERROR = {
        code: "ASL003",
        name: "io-error",
        category: Syntax,
        severity: Error,
        summary: "the file could not be read",
        check: None,
    }
}
