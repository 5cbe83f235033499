using System.Text;
using System.Text.Json;
using CatSyphon.Protocol.Redaction;

namespace CatSyphon.Protocol.Tests.Redaction;

/// <summary>Secrets in JSON string values become markers; the document stays valid JSON of the same shape.</summary>
public sealed class JsonSecretRedactionTests
{
    private const string AwsKey = "AKIAIOSFODNN7EXAMPLE";

    [Fact]
    public void String_values_at_any_depth_are_redacted_and_keys_and_numbers_stay()
    {
        var json = $$"""{"content":"key {{AwsKey}} here","input":{"command":["export","TOKEN=abc123def"]},"usage":{"input_tokens":1234,"output_tokens":56},"ok":true}""";

        var redacted = JsonSecretRedaction.Redact(json, SecretRedactor.Default, out var count);

        Assert.Equal(2, count);
        using var document = JsonDocument.Parse(redacted);
        var root = document.RootElement;
        Assert.Equal("key [REDACTED:aws-access-key] here", root.GetProperty("content").GetString());
        Assert.Equal("TOKEN=[REDACTED:env-secret]", root.GetProperty("input").GetProperty("command")[1].GetString());
        Assert.Equal(1234, root.GetProperty("usage").GetProperty("input_tokens").GetInt64());
        Assert.Equal(56, root.GetProperty("usage").GetProperty("output_tokens").GetInt64());
        Assert.True(root.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public void A_value_under_a_secret_name_is_redacted_whole()
    {
        var json = """{"env":{"DB_PASSWORD":"correct horse battery","client_secret":"abcdefgh","tokenizer":"cl100k_base","password":"short"}}""";

        using var document = JsonDocument.Parse(JsonSecretRedaction.Redact(json, SecretRedactor.Default, out var count));

        var env = document.RootElement.GetProperty("env");
        Assert.Equal(2, count);
        Assert.Equal("[REDACTED:env-secret]", env.GetProperty("DB_PASSWORD").GetString());
        Assert.Equal("[REDACTED:env-secret]", env.GetProperty("client_secret").GetString());
        Assert.Equal("cl100k_base", env.GetProperty("tokenizer").GetString());
        Assert.Equal("short", env.GetProperty("password").GetString());
    }

    [Fact]
    public void A_secret_hidden_behind_json_escapes_is_found_and_the_escapes_elsewhere_survive()
    {
        // \u0041 is "A": the raw text holds no "AKIA", the decoded value does.
        var json = """{"content":"line one\nkey \u0041KIAIOSFODNN7EXAMPLE \"quoted\" \u00e9"}""";

        var redacted = JsonSecretRedaction.Redact(json, SecretRedactor.Default, out var count);

        Assert.Equal(1, count);
        using var document = JsonDocument.Parse(redacted);
        Assert.Equal("line one\nkey [REDACTED:aws-access-key] \"quoted\" é", document.RootElement.GetProperty("content").GetString());
    }

    [Fact]
    public void Json_without_secrets_is_returned_as_the_same_instance_and_utf8_as_null()
    {
        var json = """{"content":"Refactor the token parser","usage":{"input_tokens":10}}""";

        Assert.Same(json, JsonSecretRedaction.Redact(json, SecretRedactor.Default, out var count));
        Assert.Equal(0, count);
        Assert.Null(JsonSecretRedaction.Redact(Encoding.UTF8.GetBytes(json), SecretRedactor.Default, out _));
    }

    [Fact]
    public void The_utf8_form_gives_the_same_document_and_redacting_twice_changes_nothing()
    {
        var json = $$"""{"a":"{{AwsKey}}","b":{"api_key":"zzzzzzzz"},"c":"postgres://u:pw123456@db/x"}""";

        var fromText = JsonSecretRedaction.Redact(json, SecretRedactor.Default, out var count);
        var fromUtf8 = JsonSecretRedaction.Redact(Encoding.UTF8.GetBytes(json), SecretRedactor.Default, out _);

        Assert.Equal(3, count);
        Assert.Equal(fromText, Encoding.UTF8.GetString(fromUtf8!));
        Assert.Same(fromText, JsonSecretRedaction.Redact(fromText, SecretRedactor.Default, out var again));
        Assert.Equal(0, again);
    }

    [Theory]
    [InlineData("const csrfToken = document.querySelector(\"meta[name='csrf-token']\")")]
    [InlineData("api_key: anthropic_api_key()")]
    [InlineData("token = Base.url_encode64(:crypto.strong_rand_bytes(24), padding: false)")]
    [InlineData("conn = connect(password=pw, host=h)")]
    [InlineData("password = request.form['password']")]
    [InlineData("interface Login { password: string; apiKey: string }")]
    [InlineData("url = f\"postgres://{user}:{password}@{host}/db\"")]
    [InlineData("token: ${{ secrets.GITHUB_TOKEN }}")]
    public void Code_that_names_secrets_without_holding_one_is_left_alone(string code)
    {
        Assert.Same(code, SecretRedactor.Default.Redact(code, out var count));
        Assert.Equal(0, count);
    }
}

/// <summary>The API's validation redacts every event's data and hashes what it keeps.</summary>
public sealed class EventBatchRedactionTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static EventBatch Batch(string content) => new("s-1",
    [
        new CollectorEvent("message", JsonDocument.Parse("\"2026-11-30T10:00:00Z\"").RootElement, null, null, null,
            JsonDocument.Parse($$"""{"author_role":"human","message_type":"prompt","content":"{{content}}","input_tokens":42}""").RootElement),
    ]);

    [Fact]
    public void The_kept_data_is_redacted_and_its_hash_equals_that_of_the_event_redacted_before_sending()
    {
        var sent = EventBatchValidator.Validate(Batch("use AKIAIOSFODNN7EXAMPLE now"), Now, redactor: SecretRedactor.Default);
        var preRedacted = EventBatchValidator.Validate(Batch("use [REDACTED:aws-access-key] now"), Now, redactor: SecretRedactor.Default);
        var unredacted = EventBatchValidator.Validate(Batch("use AKIAIOSFODNN7EXAMPLE now"), Now);

        Assert.Equal(1, sent.RedactedSecrets);
        Assert.DoesNotContain("AKIAIOSFODNN7EXAMPLE", sent.Events[0].Data, StringComparison.Ordinal);
        Assert.Contains("\"input_tokens\":42", sent.Events[0].Data, StringComparison.Ordinal);
        Assert.Equal(preRedacted.Events[0].EventHash, sent.Events[0].EventHash);
        Assert.NotEqual(unredacted.Events[0].EventHash, sent.Events[0].EventHash);
        Assert.Equal(0, preRedacted.RedactedSecrets);
    }
}
