using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace CatSyphon.Protocol;

/// <summary>
/// The text form of CatSyphon's enums, shared by the database columns and the wire protocol:
/// the member name in snake_case (<c>SessionStart</c> is <c>session_start</c>, <c>Open</c> is <c>open</c>).
/// </summary>
public static class WireName
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => Names<TEnum>.ToText.TryGetValue(value, out var text)
        ? text
        : throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a defined {typeof(TEnum).Name}.");

    /// <summary>Parses a wire name exactly (case-sensitive, no numbers, no aliases).</summary>
    public static bool TryParse<TEnum>(string? text, [NotNullWhen(true)] out TEnum? value) where TEnum : struct, Enum
    {
        if (text is not null && Names<TEnum>.FromText.TryGetValue(text, out var found))
        {
            value = found;
            return true;
        }

        value = null;
        return false;
    }

    public static TEnum Parse<TEnum>(string text) where TEnum : struct, Enum => TryParse<TEnum>(text, out var value)
        ? value.Value
        : throw new FormatException($"'{text}' is not a {typeof(TEnum).Name} (expected one of: {string.Join(", ", Names<TEnum>.FromText.Keys.Order(StringComparer.Ordinal))}).");

    /// <summary>All wire names of <typeparamref name="TEnum"/>, in declaration order.</summary>
    public static IReadOnlyList<string> All<TEnum>() where TEnum : struct, Enum => Names<TEnum>.InOrder;

    internal static string ToSnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    sb.Append('_');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static class Names<TEnum> where TEnum : struct, Enum
    {
        public static readonly IReadOnlyList<string> InOrder = Enum.GetValues<TEnum>().Select(v => ToSnakeCase(v.ToString())).ToArray();

        public static readonly FrozenDictionary<TEnum, string> ToText =
            Enum.GetValues<TEnum>().ToFrozenDictionary(v => v, v => ToSnakeCase(v.ToString()));

        public static readonly FrozenDictionary<string, TEnum> FromText =
            Enum.GetValues<TEnum>().ToFrozenDictionary(v => ToSnakeCase(v.ToString()), v => v, StringComparer.Ordinal);
    }
}
