//! Kubernetes name rules (apimachinery `IsDNS1123Label` / `IsDNS1123Subdomain`) with their exact messages.

const LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

fn is_label_chars(s: &str) -> bool {
    let b = s.as_bytes();
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    !b.is_empty()
        && alnum(b[0])
        && alnum(b[b.len() - 1])
        && b.iter().all(|&c| alnum(c) || c == b'-')
}

fn is_subdomain_chars(s: &str) -> bool {
    s.split('.').all(is_label_chars)
}

/// `IsDNS1123Label`: the messages for an invalid label (empty when valid).
pub fn dns1123_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    if !is_label_chars(value) {
        if is_subdomain_chars(value) {
            errs.push("must not contain dots".to_string());
        } else {
            // The double space is Kubernetes' own (RegexError joins "'my-name', " and " or ").
            errs.push(format!(
                "{LABEL_MSG} (e.g. 'my-name',  or '123-abc', regex used for validation is '{LABEL_FMT}')"
            ));
        }
    }
    errs
}

/// `IsDNS1123Subdomain`: the messages for an invalid subdomain (empty when valid).
pub fn dns1123_subdomain(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 253 {
        errs.push("must be no more than 253 characters".to_string());
    }
    if !is_subdomain_chars(value) {
        errs.push(format!(
            "{SUBDOMAIN_MSG} (e.g. 'example.com', regex used for validation is '{LABEL_FMT}(\\.{LABEL_FMT})*')"
        ));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(dns1123_subdomain("hello-1").is_empty());
        assert!(dns1123_subdomain("a.b-c").is_empty());
        assert_eq!(dns1123_subdomain("Hello").len(), 1);
        assert!(dns1123_subdomain("-a").len() == 1);
        assert_eq!(
            dns1123_label("a.b"),
            vec!["must not contain dots".to_string()]
        );
        assert!(dns1123_label("pi-4").is_empty());
        assert_eq!(
            dns1123_label(&"a".repeat(64)),
            vec!["must be no more than 63 characters".to_string()]
        );
    }
}
