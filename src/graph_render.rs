//! Drawings of a state machine.
