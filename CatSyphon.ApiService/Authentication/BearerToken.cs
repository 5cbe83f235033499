using System.Diagnostics.CodeAnalysis;
using Microsoft.Net.Http.Headers;

namespace CatSyphon.ApiService.Authentication;

internal static class BearerToken
{
    private const string Prefix = "Bearer ";

    public static bool TryRead(HttpRequest request, [NotNullWhen(true)] out string? token)
    {
        var header = request.Headers[HeaderNames.Authorization].ToString();
        if (header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && header.Length > Prefix.Length)
        {
            token = header[Prefix.Length..].Trim();
            return token.Length > 0;
        }

        token = null;
        return false;
    }
}
