using CatSyphon.Protocol.Redaction;

namespace CatSyphon.Protocol.Tests.Redaction;

/// <summary>Each kind of secret, planted in ordinary text, becomes its marker and nothing around it changes.</summary>
public sealed class SecretRedactorTests
{
    // Shaped like the real thing, made up here; repeated characters keep them obviously fake.
    private static readonly string Base62 = "Ab3" + new string('x', 33);

    /// <summary>Split so that secret scanners reading this file do not take the made-up block for a real key.</summary>
    private const string OpenSshKeyLabel = "OPENSSH PRIVATE" + " KEY";

    public static TheoryData<string, string, string> Planted => new()
    {
        { "aws-access-key", "AKIAIOSFODNN7EXAMPLE", "export AWS_REGION=eu-west-1 key {0} done" },
        { "aws-secret-key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key = {0}\nregion = eu-west-1" },
        { "github-token", "ghp_" + Base62, "git remote set-url origin https://x:{0}@github.com/acme/app" },
        { "github-token", "github_pat_11AB" + new string('z', 78), "GH token {0} used" },
        { "anthropic-key", "sk-ant-api03-" + new string('Q', 93) + "AA", "the key {0} was pasted" },
        { "openai-key", "sk-proj-" + new string('a', 40) + "T3BlbkFJ" + new string('b', 40), "client = OpenAI(api='{0}')" },
        { "slack-token", "xoxb-1234567890-1234567890123-" + new string('s', 24), "slack {0} posted" },
        { "slack-token", "https://hooks.slack.com/services/T0000/B0000/" + new string('h', 24), "curl -X POST {0}" },
        { "stripe-key", "sk_live_" + new string('k', 24), "Stripe.ApiKey = \"{0}\";" },
        { "google-api-key", "AIza" + new string('g', 35), "maps?key={0}&q=x" },
        { "jwt", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "Authorization: Bearer {0}" },
        { "catsyphon-token", "cs_live_" + new string('c', 43), "catsyphon register --key {0}" },
        { "catsyphon-token", "cs_pat_" + new string('p', 43), "PAT {0} here" },
        { "private-key", $"-----BEGIN {OpenSshKeyLabel}-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END {OpenSshKeyLabel}-----", "cat ~/.ssh/id_ed25519\n{0}\n$ ls" },
    };

    [Theory]
    [MemberData(nameof(Planted))]
    public void A_planted_secret_becomes_its_marker_and_the_text_around_it_stays(string kind, string secret, string context)
    {
        var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, context, secret);

        var redacted = SecretRedactor.Default.Redact(text, out var count);

        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.Contains($"[REDACTED:{kind}]", redacted, StringComparison.Ordinal);
        Assert.True(count >= 1);
        foreach (var word in context.Split("{0}"))
        {
            Assert.Contains(word.Trim(), redacted, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("postgres://app:s3cr3t-P4ss@db.internal:5432/catsyphon", "postgres://app:[REDACTED:url-password]@db.internal:5432/catsyphon")]
    [InlineData("Host=db;Username=app;Password=s3cr3t-P4ss;Database=x", "Host=db;Username=app;Password=[REDACTED:connection-string-password];Database=x")]
    [InlineData("export DATABASE_PASSWORD=hunter2hunter2", "export DATABASE_PASSWORD=[REDACTED:env-secret]")]
    [InlineData("API_KEY: \"abcdef123456\"", "API_KEY: \"[REDACTED:env-secret]\"")]
    [InlineData("MY_SERVICE_TOKEN=tok-9f8e7d6c", "MY_SERVICE_TOKEN=[REDACTED:env-secret]")]
    public void Only_the_secret_part_of_an_assignment_or_address_is_replaced(string text, string expected) =>
        Assert.Equal(expected, SecretRedactor.Default.Redact(text, out _));

    [Theory]
    [InlineData("Refactor the token parser and add tests for the secret manager.")]
    [InlineData("https://github.com/acme/app/pull/42 and http://localhost:8080/api")]
    [InlineData("The password field must be at least 12 characters.")]
    [InlineData("commit 4f2a9c1e7b3d5a6f8e0c2b4d6a8f0e1c3b5d7a9f")]
    [InlineData("sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void Ordinary_text_is_left_alone(string text)
    {
        Assert.Same(text, SecretRedactor.Default.Redact(text, out var count));
        Assert.Equal(0, count);
    }

    [Fact]
    public void Redacting_twice_changes_nothing_more()
    {
        var text = "PASSWORD=hunter2hunter2 and postgres://u:pw123456@h/db and AKIAIOSFODNN7EXAMPLE and Password=abcdef;";
        var once = SecretRedactor.Default.Redact(text, out var first);

        Assert.Equal(once, SecretRedactor.Default.Redact(once, out var second));
        Assert.Equal(4, first);
        Assert.Equal(0, second);
    }

    [Fact]
    public void An_allow_listed_string_stays()
    {
        var redactor = new SecretRedactor(SecretRules.Default, new HashSet<string>(StringComparer.Ordinal) { "AKIAIOSFODNN7EXAMPLE" });

        Assert.Equal("docs key AKIAIOSFODNN7EXAMPLE", redactor.Redact("docs key AKIAIOSFODNN7EXAMPLE", out var count));
        Assert.Equal(0, count);
    }
}
