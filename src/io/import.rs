//! Reading a session folder of CSV files.
