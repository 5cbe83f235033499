namespace CatSyphon.IntegrationTests.Privacy;

/// <summary>
/// One secret of every kind the built-in rules know, made up for this run (random, so finding one anywhere can only mean
/// this run leaked it), each with a sentence around it whose words must stay readable and searchable. Secrets use no
/// character a JSON writer may escape (+, /), so a leaked one is found as it is in any file.
/// </summary>
public sealed class PlantedSecrets
{
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const string Url = Alnum + "_-";

    /// <summary>Split so that secret scanners reading this file do not take the made-up block for a real key.</summary>
    private const string RsaKeyLabel = "RSA PRIVATE" + " KEY";

    public PlantedSecrets()
    {
        All =
        [
            new("aws-access-key", "AKIA" + Random(Upper + "234567", 16), "deploy with key {0} on eu-west-1", InPath: true),
            new("aws-secret-key", Random(Alnum, 40), "rotate aws_secret_access_key = {0} weekly"),
            new("github-token", "ghp_" + Random(Alnum, 36), "clone with {0} from the mirror", InPath: true),
            new("github-token", "github_pat_" + Random(Alnum + "_", 82), "fine grained {0} for the bot", InPath: true),
            new("anthropic-key", "sk-ant-api03-" + Random(Url, 93) + "AA", "anthropic key {0} was pasted", InPath: true),
            new("openai-key", "sk-proj-" + Random(Url, 40) + "T3BlbkFJ" + Random(Url, 40), "openai key {0} in the notebook", InPath: true),
            new("slack-token", "xoxb-" + Random("0123456789", 11) + "-" + Random(Alnum, 24), "slack bot {0} posts alerts", InPath: true),
            new("stripe-key", "sk_live_" + Random(Alnum, 24), "billing uses {0} in production", InPath: true),
            new("google-api-key", "AIza" + Random(Url, 35), "maps key {0} for geocoding", InPath: true),
            new("jwt", $"eyJ{Random(Url, 20)}.eyJ{Random(Url, 40)}.{Random(Url, 43)}", "send Authorization: Bearer {0} upstream", InPath: true),
            new("private-key", $"-----BEGIN {RsaKeyLabel}-----\n{Random(Alnum, 64)}\n{Random(Alnum, 64)}\n-----END {RsaKeyLabel}-----",
                "cat id_rsa printed\n{0}\nthen the prompt"),
            new("url-password", Random(Alnum, 18), "connect to postgres://app:{0}@db.internal:5432/orders now"),
            new("connection-string-password", Random(Alnum, 18), "ordering uses Host=db;Username=app;Password={0};Database=orders here"),
            new("env-secret", Random(Alnum, 22), "export DEPLOY_TOKEN={0}\nrun the deploy"),
            new("catsyphon-token", "cs_live_" + Random(Url, 43), "collector key {0} rotated", InPath: true),
            new("catsyphon-token", "cs_enroll_" + Random(Url, 43), "enroll with {0} today", InPath: true),
            new("catsyphon-token", "cs_pat_" + Random(Url, 43), "personal token {0} for scripts", InPath: true),
        ];
    }

    public IReadOnlyList<PlantedSecret> All { get; }

    private static string Random(string alphabet, int length) => RandomNumberGenerator.GetString(alphabet, length);
}

/// <param name="InPath">The secret is one word and can be planted in a file path too.</param>
public sealed record PlantedSecret(string Kind, string Secret, string Context, bool InPath = false)
{
    public string Marker => $"[REDACTED:{Kind}]";

    public string Text => Context.Replace("{0}", Secret, StringComparison.Ordinal);

    /// <summary>What a leak would show: the secret, or each line of a multi-line one (JSON writes its line breaks as \n).</summary>
    public IEnumerable<string> Fragments => Secret.Split('\n').Where(line => line.Length >= 16);

    /// <summary>The sentence's first word: it must survive redaction and be found by search.</summary>
    public string Word => Context[..Context.IndexOf(' ', StringComparison.Ordinal)];
}
