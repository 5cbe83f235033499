using System.Text.RegularExpressions;

namespace CatSyphon.Protocol.Redaction;

/// <summary>
/// The built-in rules. Patterns follow the token formats their issuers document, as gitleaks' default rule set
/// (gitleaks/gitleaks, config/gitleaks.toml) encodes them; each value group refuses a marker, so redacting twice changes
/// nothing and the collector and the server can both redact.
/// </summary>
public static partial class SecretRules
{
    private const string NotAMarker = @"(?!\[REDACTED:)";

    public static IReadOnlyList<SecretRule> Default { get; } =
    [
        new("private-key", PrivateKey(), ["PRIVATE KEY"]),
        new("aws-access-key", AwsAccessKey(), ["AKIA", "ASIA", "ABIA", "ACCA", "A3T"]),
        new("aws-secret-key", AwsSecretKey(), ["aws"]),
        new("github-token", GitHubToken(), ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"]),
        new("anthropic-key", AnthropicKey(), ["sk-ant-"]),
        new("openai-key", OpenAiKey(), ["T3BlbkFJ"]),
        new("slack-token", SlackToken(), ["xox", "hooks.slack.com"]),
        new("stripe-key", StripeKey(), ["sk_", "rk_"]),
        new("google-api-key", GoogleApiKey(), ["AIza"]),
        new("jwt", Jwt(), ["eyJ"]),
        new("catsyphon-token", CatSyphonToken(), ["cs_live_", "cs_enroll_", "cs_pat_"]),
        new("url-password", UrlPassword(), ["://"]),
        new("connection-string-password", ConnectionStringPassword(), ["password", "pwd"]),
        new(NamedSecretKind, EnvSecret(), ["password", "passwd", "secret", "token", "api_key", "apikey", "access_key", "private_key", "credential"]),
    ];

    /// <summary>The kind of a value held under a secret name (<c>DB_PASSWORD=</c>, <c>"client_secret": "..."</c>).</summary>
    public const string NamedSecretKind = "env-secret";

    /// <summary>
    /// Whether a JSON property name says its string value is secret (<c>password</c>, <c>client_secret</c>,
    /// <c>GITHUB_TOKEN</c>): its value is then redacted whole, as an env assignment's would be.
    /// </summary>
    public static bool IsSecretName(ReadOnlySpan<char> name) => name.Length <= 80 && SecretName().IsMatch(name);

    [GeneratedRegex(@"(?i)(?:password|passwd|pwd|secret|token|api_?key|access_?key|private_?key|credentials?)$")]
    private static partial Regex SecretName();

    [GeneratedRegex(@"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\s\S]{16,}?-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----")]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b")]
    private static partial Regex AwsAccessKey();

    // Forty base64 characters near an "aws" name: alone they are indistinguishable from any hash.
    [GeneratedRegex(@"(?i)aws[\w.-]{0,30}?(?:secret|key)[\w.-]{0,20}[""']?\s*[:=]\s*[""']?" + NotAMarker + @"(?<secret>(?-i)[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])")]
    private static partial Regex AwsSecretKey();

    [GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{82})\b")]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"\bsk-ant-[a-z]{3,10}\d{2}-[A-Za-z0-9_-]{80,120}")]
    private static partial Regex AnthropicKey();

    // OpenAI keys carry "T3BlbkFJ" (base64 of "OpenAI") in the middle, whatever their prefix (sk-, sk-proj-, sk-svcacct-).
    [GeneratedRegex(@"\bsk-(?:[a-z]+-)?[A-Za-z0-9_-]{16,80}T3BlbkFJ[A-Za-z0-9_-]{16,80}")]
    private static partial Regex OpenAiKey();

    [GeneratedRegex(@"\bxox[abposre]-[A-Za-z0-9-]{10,250}|https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/+_-]{20,}")]
    private static partial Regex SlackToken();

    [GeneratedRegex(@"\b(?:sk|rk)_(?:test|live|prod)_[A-Za-z0-9]{10,99}\b")]
    private static partial Regex StripeKey();

    [GeneratedRegex(@"\bAIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])")]
    private static partial Regex GoogleApiKey();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"\bcs_(?:live|enroll|pat)_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")]
    private static partial Regex CatSyphonToken();

    // scheme://user:PASSWORD@host: the user and the host stay. A template's placeholder ({password}, $PASS) is no secret.
    [GeneratedRegex(@"\b[a-zA-Z][a-zA-Z0-9+.-]{1,30}://[^\s:/@""'<>]{1,100}:" + NotAMarker + @"(?![{$])(?<secret>[^\s@/""'<>]{1,200})@")]
    private static partial Regex UrlPassword();

    // Password=...; in ADO.NET, libpq and JDBC connection strings: no space before the value, which ends the string or
    // one of its parts (so code such as connect(password=pw) or password = form['x'] is left alone).
    [GeneratedRegex(@"(?i)\b(?:password|pwd)=" + NotAMarker + @"(?![{$])(?<secret>[^;""'\s&(){}\[\],]{1,200})(?=[;""'\s&]|$)")]
    private static partial Regex ConnectionStringPassword();

    // A value under a name that says it is secret, in the three shapes secrets are written in (and code is not):
    // quoted (API_KEY: "...", password = '...'), an env file's or shell's NAME=value without spaces, and YAML's
    // name: value when the value has a digit. Code (token = generate(), csrfToken = document.querySelector(...),
    // api_key: anthropic_api_key(), password: string) is none of them.
    [GeneratedRegex(@"(?i)\b[A-Z0-9_.-]{0,40}(?:password|passwd|secret|token|api_?key|access_?key|private_?key|credentials?)[A-Z0-9_.-]{0,40}"
        + @"(?:[""']?\s*[:=]\s*(?<quote>[""'])" + NotAMarker + @"(?!\$)(?<secret>[^\s""'`]{6,500})\k<quote>"
        + @"|=" + NotAMarker + @"(?<secret>[^\s""'`$(){}\[\],;<>|&]{6,500})(?=[\s""'`;]|$)"
        + @"|:[ \t]" + NotAMarker + @"(?<secret>(?=[^\s]*\d)[^\s""'`$(){}\[\],;<>|&]{8,500})(?=[\s""'`;]|$))")]
    private static partial Regex EnvSecret();
}
