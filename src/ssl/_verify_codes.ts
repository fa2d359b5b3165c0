// Copyright the pysocket authors. MIT license.
// OpenSSL's certificate verification results (`X509_V_ERR_*`, OpenSSL 3.0):
// name → [code, text], as CPython reports them in
// `SSLCertVerificationError.verify_code` and `verify_message`. Generated
// from OpenSSL's headers and `X509_verify_cert_error_string()`.

/** `X509_V_ERR_*` name (without the prefix) → `[verify_code, message]`. */
export const VERIFY_CODES: Readonly<Record<string, readonly [number, string]>> =
  {
    UNSPECIFIED: [1, "unspecified certificate verification error"],
    UNABLE_TO_GET_ISSUER_CERT: [2, "unable to get issuer certificate"],
    UNABLE_TO_GET_CRL: [3, "unable to get certificate CRL"],
    UNABLE_TO_DECRYPT_CERT_SIGNATURE: [
      4,
      "unable to decrypt certificate's signature",
    ],
    UNABLE_TO_DECRYPT_CRL_SIGNATURE: [5, "unable to decrypt CRL's signature"],
    UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: [
      6,
      "unable to decode issuer public key",
    ],
    CERT_SIGNATURE_FAILURE: [7, "certificate signature failure"],
    CRL_SIGNATURE_FAILURE: [8, "CRL signature failure"],
    CERT_NOT_YET_VALID: [9, "certificate is not yet valid"],
    CERT_HAS_EXPIRED: [10, "certificate has expired"],
    CRL_NOT_YET_VALID: [11, "CRL is not yet valid"],
    CRL_HAS_EXPIRED: [12, "CRL has expired"],
    ERROR_IN_CERT_NOT_BEFORE_FIELD: [
      13,
      "format error in certificate's notBefore field",
    ],
    ERROR_IN_CERT_NOT_AFTER_FIELD: [
      14,
      "format error in certificate's notAfter field",
    ],
    ERROR_IN_CRL_LAST_UPDATE_FIELD: [
      15,
      "format error in CRL's lastUpdate field",
    ],
    ERROR_IN_CRL_NEXT_UPDATE_FIELD: [
      16,
      "format error in CRL's nextUpdate field",
    ],
    OUT_OF_MEM: [17, "out of memory"],
    DEPTH_ZERO_SELF_SIGNED_CERT: [18, "self-signed certificate"],
    SELF_SIGNED_CERT_IN_CHAIN: [
      19,
      "self-signed certificate in certificate chain",
    ],
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: [
      20,
      "unable to get local issuer certificate",
    ],
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: [
      21,
      "unable to verify the first certificate",
    ],
    CERT_CHAIN_TOO_LONG: [22, "certificate chain too long"],
    CERT_REVOKED: [23, "certificate revoked"],
    NO_ISSUER_PUBLIC_KEY: [24, "issuer certificate doesn't have a public key"],
    PATH_LENGTH_EXCEEDED: [25, "path length constraint exceeded"],
    INVALID_PURPOSE: [26, "unsuitable certificate purpose"],
    CERT_UNTRUSTED: [27, "certificate not trusted"],
    CERT_REJECTED: [28, "certificate rejected"],
    SUBJECT_ISSUER_MISMATCH: [29, "subject issuer mismatch"],
    AKID_SKID_MISMATCH: [30, "authority and subject key identifier mismatch"],
    AKID_ISSUER_SERIAL_MISMATCH: [
      31,
      "authority and issuer serial number mismatch",
    ],
    KEYUSAGE_NO_CERTSIGN: [
      32,
      "key usage does not include certificate signing",
    ],
    UNABLE_TO_GET_CRL_ISSUER: [33, "unable to get CRL issuer certificate"],
    UNHANDLED_CRITICAL_EXTENSION: [34, "unhandled critical extension"],
    KEYUSAGE_NO_CRL_SIGN: [35, "key usage does not include CRL signing"],
    UNHANDLED_CRITICAL_CRL_EXTENSION: [36, "unhandled critical CRL extension"],
    INVALID_NON_CA: [37, "invalid non-CA certificate (has CA markings)"],
    PROXY_PATH_LENGTH_EXCEEDED: [38, "proxy path length constraint exceeded"],
    KEYUSAGE_NO_DIGITAL_SIGNATURE: [
      39,
      "key usage does not include digital signature",
    ],
    PROXY_CERTIFICATES_NOT_ALLOWED: [
      40,
      "proxy certificates not allowed, please set the appropriate flag",
    ],
    INVALID_EXTENSION: [41, "invalid or inconsistent certificate extension"],
    INVALID_POLICY_EXTENSION: [
      42,
      "invalid or inconsistent certificate policy extension",
    ],
    NO_EXPLICIT_POLICY: [43, "no explicit policy"],
    DIFFERENT_CRL_SCOPE: [44, "different CRL scope"],
    UNSUPPORTED_EXTENSION_FEATURE: [45, "unsupported extension feature"],
    UNNESTED_RESOURCE: [
      46,
      "RFC 3779 resource not subset of parent's resources",
    ],
    PERMITTED_VIOLATION: [47, "permitted subtree violation"],
    EXCLUDED_VIOLATION: [48, "excluded subtree violation"],
    SUBTREE_MINMAX: [49, "name constraints minimum and maximum not supported"],
    APPLICATION_VERIFICATION: [50, "application verification failure"],
    UNSUPPORTED_CONSTRAINT_TYPE: [51, "unsupported name constraint type"],
    UNSUPPORTED_CONSTRAINT_SYNTAX: [
      52,
      "unsupported or invalid name constraint syntax",
    ],
    UNSUPPORTED_NAME_SYNTAX: [53, "unsupported or invalid name syntax"],
    CRL_PATH_VALIDATION_ERROR: [54, "CRL path validation error"],
    PATH_LOOP: [55, "path loop"],
    SUITE_B_INVALID_VERSION: [56, "Suite B: certificate version invalid"],
    SUITE_B_INVALID_ALGORITHM: [57, "Suite B: invalid public key algorithm"],
    SUITE_B_INVALID_CURVE: [58, "Suite B: invalid ECC curve"],
    SUITE_B_INVALID_SIGNATURE_ALGORITHM: [
      59,
      "Suite B: invalid signature algorithm",
    ],
    SUITE_B_LOS_NOT_ALLOWED: [60, "Suite B: curve not allowed for this LOS"],
    SUITE_B_CANNOT_SIGN_P_384_WITH_P_256: [
      61,
      "Suite B: cannot sign P-384 with P-256",
    ],
    HOSTNAME_MISMATCH: [62, "hostname mismatch"],
    EMAIL_MISMATCH: [63, "email address mismatch"],
    IP_ADDRESS_MISMATCH: [64, "IP address mismatch"],
    DANE_NO_MATCH: [65, "no matching DANE TLSA records"],
    EE_KEY_TOO_SMALL: [66, "EE certificate key too weak"],
    CA_KEY_TOO_SMALL: [67, "CA certificate key too weak"],
    CA_MD_TOO_WEAK: [68, "CA signature digest algorithm too weak"],
    INVALID_CALL: [69, "invalid certificate verification context"],
    STORE_LOOKUP: [70, "issuer certificate lookup error"],
    NO_VALID_SCTS: [
      71,
      "Certificate Transparency required, but no valid SCTs found",
    ],
    PROXY_SUBJECT_NAME_VIOLATION: [72, "proxy subject name violation"],
    OCSP_VERIFY_NEEDED: [73, "OCSP verification needed"],
    OCSP_VERIFY_FAILED: [74, "OCSP verification failed"],
    OCSP_CERT_UNKNOWN: [75, "OCSP unknown cert"],
    UNSUPPORTED_SIGNATURE_ALGORITHM: [
      76,
      "Cannot find certificate signature algorithm",
    ],
    SIGNATURE_ALGORITHM_MISMATCH: [
      77,
      "subject signature algorithm and issuer public key algorithm mismatch",
    ],
    SIGNATURE_ALGORITHM_INCONSISTENCY: [
      78,
      "cert info signature and signature algorithm mismatch",
    ],
    INVALID_CA: [79, "invalid CA certificate"],
    PATHLEN_INVALID_FOR_NON_CA: [80, "Path length invalid for non-CA cert"],
    PATHLEN_WITHOUT_KU_KEY_CERT_SIGN: [
      81,
      "Path length given without key usage keyCertSign",
    ],
    KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA: [
      82,
      "Key usage keyCertSign invalid for non-CA cert",
    ],
    ISSUER_NAME_EMPTY: [83, "Issuer name empty"],
    SUBJECT_NAME_EMPTY: [84, "Subject name empty"],
    MISSING_AUTHORITY_KEY_IDENTIFIER: [85, "Missing Authority Key Identifier"],
    MISSING_SUBJECT_KEY_IDENTIFIER: [86, "Missing Subject Key Identifier"],
    EMPTY_SUBJECT_ALT_NAME: [87, "Empty Subject Alternative Name extension"],
    EMPTY_SUBJECT_SAN_NOT_CRITICAL: [
      88,
      "Subject empty and Subject Alt Name extension not critical",
    ],
    CA_BCONS_NOT_CRITICAL: [
      89,
      "Basic Constraints of CA cert not marked critical",
    ],
    AUTHORITY_KEY_IDENTIFIER_CRITICAL: [
      90,
      "Authority Key Identifier marked critical",
    ],
    SUBJECT_KEY_IDENTIFIER_CRITICAL: [
      91,
      "Subject Key Identifier marked critical",
    ],
    CA_CERT_MISSING_KEY_USAGE: [
      92,
      "CA cert does not include key usage extension",
    ],
    EXTENSIONS_REQUIRE_VERSION_3: [
      93,
      "Using cert extension requires at least X509v3",
    ],
    EC_KEY_EXPLICIT_PARAMS: [
      94,
      "Certificate public key has explicit ECC parameters",
    ],
  };
