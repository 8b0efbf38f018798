//! HTML report (issue 4).
