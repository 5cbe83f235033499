using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace CatSyphon.Protocol;

/// <summary>
/// The shape shared by collector keys and enrollment tokens: a fixed prefix plus base64url (no padding)
/// of 32 random bytes (43 characters). Only SHA-256 of the whole token is stored.
/// </summary>
public sealed class SecretTokenFormat
{
    /// <summary>Random bytes per token.</summary>
    public const int RandomBytes = 32;

    /// <summary>Characters of the random part (base64url of <see cref="RandomBytes"/>, no padding).</summary>
    public const int RandomLength = 43;

    /// <summary>Length of the display prefix stored next to the hash (e.g. <c>cs_live_</c> + 4).</summary>
    public const int DisplayPrefixLength = 12;

    /// <summary>Length of <see cref="Hash"/> results.</summary>
    public const int HashLength = 32;

    private static readonly SearchValues<char> UrlSafe =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public SecretTokenFormat(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (prefix.Length >= DisplayPrefixLength)
        {
            throw new ArgumentException($"The prefix must be shorter than {DisplayPrefixLength} characters.", nameof(prefix));
        }

        Prefix = prefix;
    }

    /// <summary>The fixed start of every token, e.g. <c>cs_live_</c>.</summary>
    public string Prefix { get; }

    /// <summary>Total token length.</summary>
    public int TokenLength => Prefix.Length + RandomLength;

    /// <summary>A new token from <see cref="RandomNumberGenerator"/>.</summary>
    public string Generate()
    {
        Span<byte> random = stackalloc byte[RandomBytes];
        RandomNumberGenerator.Fill(random);
        Span<char> chars = stackalloc char[Prefix.Length + RandomLength];
        Prefix.CopyTo(chars);
        var written = Base64Url.EncodeToChars(random, chars[Prefix.Length..]);
        CryptographicOperations.ZeroMemory(random);
        return written == RandomLength
            ? new string(chars)
            : throw new InvalidOperationException("Unexpected base64url length.");
    }

    /// <summary>True when <paramref name="token"/> is exactly the prefix plus 43 url-safe characters.</summary>
    public bool IsWellFormed([NotNullWhen(true)] string? token) =>
        token is not null
        && token.Length == TokenLength
        && token.StartsWith(Prefix, StringComparison.Ordinal)
        && token.AsSpan(Prefix.Length).IndexOfAnyExcept(UrlSafe) < 0;

    /// <summary>The first 12 characters (for display and identification; not secret).</summary>
    public string DisplayPrefix(string token) => IsWellFormed(token)
        ? token[..DisplayPrefixLength]
        : throw new ArgumentException("Not a well-formed token.", nameof(token));

    /// <summary>SHA-256 of the token's UTF-8 bytes (what the server stores).</summary>
    public byte[] Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var hash = new byte[HashLength];
        HashInto(token, hash);
        return hash;
    }

    /// <summary>
    /// True when <paramref name="token"/> is well formed and its SHA-256 equals <paramref name="storedHash"/>;
    /// the comparison takes constant time (<see cref="CryptographicOperations.FixedTimeEquals"/>).
    /// </summary>
    public bool Matches(string? token, ReadOnlySpan<byte> storedHash)
    {
        if (!IsWellFormed(token))
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[HashLength];
        HashInto(token, hash);
        return CryptographicOperations.FixedTimeEquals(hash, storedHash);
    }

    private static void HashInto(string token, Span<byte> hash)
    {
        var max = Encoding.UTF8.GetMaxByteCount(token.Length);
        byte[]? rented = null;
        var bytes = max <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var n = Encoding.UTF8.GetBytes(token, bytes);
            SHA256.HashData(bytes[..n], hash);
            CryptographicOperations.ZeroMemory(bytes[..n]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}

/// <summary>A kind of secret token: the prefix that tells it apart.</summary>
public interface ISecretTokenKind
{
    static abstract string TokenPrefix { get; }
}

/// <summary>The static face of one kind of token (<typeparamref name="TKind"/>): its <see cref="SecretTokenFormat"/> and its operations.</summary>
public abstract class SecretTokens<TKind>
    where TKind : ISecretTokenKind
{
    public static SecretTokenFormat Format { get; } = new(TKind.TokenPrefix);

    public static string Generate() => Format.Generate();

    /// <summary>The first 12 characters (the prefix and the start of the random part), stored next to the hash.</summary>
    public static string Prefix(string token) => Format.DisplayPrefix(token);

    public static byte[] Hash(string token) => Format.Hash(token);

    public static bool IsWellFormed([NotNullWhen(true)] string? token) => Format.IsWellFormed(token);

    public static bool Matches(string? token, ReadOnlySpan<byte> storedHash) => Format.Matches(token, storedHash);
}

/// <summary>Collector API keys: <c>cs_live_</c> + 43 url-safe characters; their first 12 characters are stored as <c>api_key_prefix</c>.</summary>
public sealed class CollectorKeys : SecretTokens<CollectorKeys>, ISecretTokenKind
{
    private CollectorKeys()
    {
    }

    public static string TokenPrefix => "cs_live_";
}

/// <summary>Workspace enrollment tokens: <c>cs_enroll_</c> + 43 url-safe characters.</summary>
public sealed class EnrollmentTokens : SecretTokens<EnrollmentTokens>, ISecretTokenKind
{
    private EnrollmentTokens()
    {
    }

    public static string TokenPrefix => "cs_enroll_";
}

/// <summary>Personal access tokens of people, for scripts and the CLI: <c>cs_pat_</c> + 43 url-safe characters.</summary>
public sealed class PersonalAccessTokens : SecretTokens<PersonalAccessTokens>, ISecretTokenKind
{
    private PersonalAccessTokens()
    {
    }

    public static string TokenPrefix => "cs_pat_";
}

/// <summary>Short-lived access tokens a sign-in returns: <c>cs_at_</c> + 43 url-safe characters.</summary>
public sealed class AccessTokens : SecretTokens<AccessTokens>, ISecretTokenKind
{
    private AccessTokens()
    {
    }

    public static string TokenPrefix => "cs_at_";
}
