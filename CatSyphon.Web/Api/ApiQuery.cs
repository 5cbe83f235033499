using System.Globalization;
using System.Text;

namespace CatSyphon.Web.Api;

/// <summary>Builds an API query string; parameters without a value are left out.</summary>
public sealed class ApiQuery
{
    private readonly StringBuilder text = new();

    public ApiQuery Add(string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            text.Append(text.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        return this;
    }

    public ApiQuery Add(string name, Guid? value) => Add(name, value?.ToString());

    public ApiQuery Add(string name, int? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

    public ApiQuery Add(string name, long? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

    public ApiQuery Add(string name, bool? value) => Add(name, value is { } flag ? (flag ? "true" : "false") : null);

    public ApiQuery Add(string name, DateTimeOffset? value) => Add(name, value?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));

    public override string ToString() => text.ToString();
}
