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
        new("private-key", PrivateKey(), ["PRIVATE KEY"], KeywordCase: StringComparison.Ordinal),
        new("aws-access-key", AwsAccessKey(), ["AKIA", "ASIA", "ABIA", "ACCA", "A3T"], KeywordCase: StringComparison.Ordinal),
        new("aws-secret-key", AwsSecretKey(), ["aws"]),
        new("github-token", GitHubToken(), ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"], KeywordCase: StringComparison.Ordinal),
        new("anthropic-key", AnthropicKey(), ["sk-ant-"], KeywordCase: StringComparison.Ordinal),
        new("openai-key", OpenAiKey(), ["T3BlbkFJ"], KeywordCase: StringComparison.Ordinal),
        new("slack-token", SlackToken(), ["xox", "hooks.slack.com"], KeywordCase: StringComparison.Ordinal),
        new("stripe-key", StripeKey(), ["sk_test_", "sk_live_", "sk_prod_", "rk_test_", "rk_live_", "rk_prod_"], KeywordCase: StringComparison.Ordinal),
        new("google-api-key", GoogleApiKey(), ["AIza"], KeywordCase: StringComparison.Ordinal),
        new("jwt", Jwt(), ["eyJ"], KeywordCase: StringComparison.Ordinal),
        new("catsyphon-token", CatSyphonToken(), ["cs_live_", "cs_enroll_", "cs_pat_"], KeywordCase: StringComparison.Ordinal),
        new("url-password", UrlPassword(), ["://"], KeywordCase: StringComparison.Ordinal),
        new("connection-string-password", ConnectionStringPassword(), ["password", "pwd"]),
        new(NamedSecretKind, EnvSecret(),
            ["password", "passwd", "secret", "token", "api_key", "apikey", "access_key", "accesskey", "private_key", "privatekey", "credential"],
            MayBeAssignment),
    ];

    /// <summary>The kind of a value held under a secret name (<c>DB_PASSWORD=</c>, <c>"client_secret": "..."</c>).</summary>
    public const string NamedSecretKind = "env-secret";

    /// <summary>
    /// Whether a JSON property name says its string value is secret (<c>password</c>, <c>client_secret</c>,
    /// <c>GITHUB_TOKEN</c>): its value is then redacted whole, as an env assignment's would be. Checked for every
    /// property of every event the collector sends, so it compares endings rather than running a regular expression.
    /// </summary>
    public static bool IsSecretName(ReadOnlySpan<char> name)
    {
        if (name.Length is < 3 or > 80)
        {
            return false;
        }

        foreach (var ending in SecretNameEndings)
        {
            if (name.EndsWith(ending, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static readonly string[] SecretNameEndings =
        ["password", "passwd", "pwd", "secret", "token", "apikey", "api_key", "accesskey", "access_key", "privatekey", "private_key", "credential", "credentials"];

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
    // It starts at "://", a literal the engine searches for directly, rather than at the scheme.
    [GeneratedRegex(@"://[^\s:/@""'<>]{1,100}:" + NotAMarker + @"(?![{$])(?<secret>[^\s@/""'<>]{1,200})@")]
    private static partial Regex UrlPassword();

    // Password=...; in ADO.NET, libpq and JDBC connection strings: no space before the value, which ends the string or
    // one of its parts (so code such as connect(password=pw) or password = form['x'] is left alone).
    /// <summary>
    /// Whether <see cref="EnvSecret"/> (or a value under a secret name) could start at a secret word, in plain or JSON text:
    /// the rest of the name, a closing quote (escaped inside a JSON string), then "=" and a value, or ":" and a quote or a
    /// value with a letter. A usage record's "input_tokens": 1234 is none of these. Written out rather than a regular
    /// expression: it runs at every "token" of every event the collector sends.
    /// </summary>
    private static bool MayBeAssignment(ReadOnlySpan<char> text)
    {
        var i = 0;
        while (i < text.Length && i < MaxNameLength && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.' or '-'))
        {
            i++;
        }

        i += text[i..].StartsWith("\\") ? 1 : 0;
        i += i < text.Length && text[i] is '"' or '\'' ? 1 : 0;
        i = SkipWhiteSpace(text, i);
        if (i >= text.Length || text[i] is not ('=' or ':'))
        {
            return false;
        }

        var assignment = text[i];
        i = SkipWhiteSpace(text, i + 1);
        if (i >= text.Length)
        {
            return false;
        }

        if (assignment == '=' || text[i] is '"' or '\'' or '\\')
        {
            return text[i] is not (',' or '}' or ']') && !char.IsWhiteSpace(text[i]);
        }

        // ":" and an unquoted value: only one with a letter can be a secret (numbers are counts, not keys).
        for (; i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not (',' or '}' or ']' or '{' or '['); i++)
        {
            if (char.IsAsciiLetter(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The secret word and the rest of the name (up to 40 characters, as <see cref="EnvSecret"/> allows).</summary>
    private const int MaxNameLength = 11 + 40;

    private static int SkipWhiteSpace(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i;
    }

    [GeneratedRegex(@"(?i)\b(?:password|pwd)=" + NotAMarker + @"(?![{$])(?<secret>[^;""'\s&(){}\[\],]{1,200})(?=[;""'\s&]|$)")]
    private static partial Regex ConnectionStringPassword();

    // A value under a name that says it is secret, in the three shapes secrets are written in (and code is not):
    // quoted (API_KEY: "...", password = '...'), an env file's or shell's NAME=value without spaces, and YAML's
    // name: value when the value has a digit and a letter. Code (token = generate(), csrfToken = document.querySelector(...),
    // api_key: anthropic_api_key(), password: string) is none of them.
    // It starts at the secret word (a literal the engine searches for directly): the rest of the name is kept anyway.
    [GeneratedRegex(@"(?i)(?:password|passwd|secret|token|api_?key|access_?key|private_?key|credentials?)[A-Z0-9_.-]{0,40}"
        + @"(?:[""']?\s*[:=]\s*(?<quote>[""'])" + NotAMarker + @"(?!\$)(?<secret>[^\s""'`]{6,500})\k<quote>"
        + @"|=" + NotAMarker + @"(?<secret>[^\s""'`$(){}\[\],;<>|&]{6,500})(?=[\s""'`;]|$)"
        + @"|:[ \t]" + NotAMarker + @"(?<secret>(?=[^\s]*\d)(?=[^\s]*[A-Za-z])[^\s""'`$(){}\[\],;<>|&]{8,500})(?=[\s""'`;]|$))")]
    private static partial Regex EnvSecret();
}
