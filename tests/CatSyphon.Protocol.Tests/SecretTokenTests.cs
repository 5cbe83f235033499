using System.Security.Cryptography;

namespace CatSyphon.Protocol.Tests;

public class SecretTokenTests
{
    [Fact]
    public void Collector_key_shape()
    {
        var key = CollectorKeys.Generate();
        Assert.StartsWith("cs_live_", key, StringComparison.Ordinal);
        Assert.Equal(8 + 43, key.Length);
        Assert.Matches("^cs_live_[A-Za-z0-9_-]{43}$", key);
        Assert.True(CollectorKeys.IsWellFormed(key));
        // 32 random bytes round-trip through base64url.
        Assert.Equal(32, Convert.FromBase64String(ToStandardBase64(key[8..])).Length);
    }

    [Fact]
    public void Keys_are_random()
    {
        var keys = Enumerable.Range(0, 100).Select(_ => CollectorKeys.Generate()).ToHashSet();
        Assert.Equal(100, keys.Count);
    }

    [Fact]
    public void Prefix_is_first_twelve_characters()
    {
        var key = CollectorKeys.Generate();
        var prefix = CollectorKeys.Prefix(key);
        Assert.Equal(12, prefix.Length);
        Assert.Equal(key[..12], prefix);
        Assert.StartsWith("cs_live_", prefix, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => CollectorKeys.Prefix("cs_live_short"));
    }

    [Fact]
    public void Hash_is_sha256_of_the_utf8_key()
    {
        var key = CollectorKeys.Generate();
        var hash = CollectorKeys.Hash(key);
        Assert.Equal(32, hash.Length);
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(key)), hash);
        Assert.Equal(hash, CollectorKeys.Hash(key));
    }

    [Fact]
    public void Matches_only_its_own_hash()
    {
        var key = CollectorKeys.Generate();
        var other = CollectorKeys.Generate();
        var stored = CollectorKeys.Hash(key);

        Assert.True(CollectorKeys.Matches(key, stored));
        Assert.False(CollectorKeys.Matches(other, stored));
        Assert.False(CollectorKeys.Matches(key, stored.AsSpan(0, 31)));
        Assert.False(CollectorKeys.Matches(key, []));
        Assert.False(CollectorKeys.Matches(null, stored));

        var flipped = (byte[])stored.Clone();
        flipped[31] ^= 1;
        Assert.False(CollectorKeys.Matches(key, flipped));

        // A key differing in one character does not match.
        var tampered = key[..^1] + (key[^1] == 'A' ? 'B' : 'A');
        Assert.False(CollectorKeys.Matches(tampered, stored));
    }

    [Fact]
    public void Malformed_keys_never_match_even_with_their_own_hash()
    {
        const string malformed = "cs_live_tooShort";
        Assert.False(CollectorKeys.Matches(malformed, CollectorKeys.Hash(malformed)));
    }

    // Built rather than written out, so no literal in the repository looks like a real key.
    public static TheoryData<string?> MalformedKeys => new()
    {
        null,
        "",
        "cs_live_",
        "cs_live_" + new string('A', 42),
        "cs_live_" + new string('A', 44),
        "cs_test_" + new string('A', 43),
        "CS_LIVE_" + new string('A', 43),
        "cs_live_" + new string('A', 42) + "+",
        "cs_live_" + new string('A', 42) + "/",
        "cs_live_" + new string('A', 42) + "=",
        "cs_live_" + new string('A', 42) + " ",
        " cs_live_" + new string('A', 42),
        "cs_live_" + new string('A', 42) + "é",
    };

    [Theory]
    [MemberData(nameof(MalformedKeys))]
    public void Malformed_keys(string? key)
    {
        Assert.False(CollectorKeys.IsWellFormed(key));
    }

    [Fact]
    public void Well_formed_means_prefix_plus_43_url_safe_characters()
    {
        Assert.True(CollectorKeys.IsWellFormed("cs_live_" + new string('-', 20) + new string('_', 23)));
    }

    [Fact]
    public void Enrollment_tokens_share_the_shape_with_their_own_prefix()
    {
        var token = EnrollmentTokens.Generate();
        Assert.Matches("^cs_enroll_[A-Za-z0-9_-]{43}$", token);
        Assert.True(EnrollmentTokens.IsWellFormed(token));
        Assert.Equal(token[..12], EnrollmentTokens.Prefix(token));
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(token)), EnrollmentTokens.Hash(token));
        Assert.True(EnrollmentTokens.Matches(token, EnrollmentTokens.Hash(token)));

        // The two kinds are never confused.
        Assert.False(CollectorKeys.IsWellFormed(token));
        Assert.False(CollectorKeys.Matches(token, EnrollmentTokens.Hash(token)));
        var key = CollectorKeys.Generate();
        Assert.False(EnrollmentTokens.IsWellFormed(key));
        Assert.False(EnrollmentTokens.Matches(key, CollectorKeys.Hash(key)));
    }

    private static string ToStandardBase64(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - (s.Length % 4)) % 4);
    }
}
