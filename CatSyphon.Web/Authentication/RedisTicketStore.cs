using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using StackExchange.Redis;

namespace CatSyphon.Web.Authentication;

/// <summary>
/// Keeps sign-in sessions on the server, in Redis, shared by every web replica: the cookie carries only a random key.
/// Sign-out deletes the entry, so a copied cookie stops at once. Entries are encrypted with the data-protection keys,
/// so Redis's files hold no access token in the clear.
/// </summary>
public sealed class RedisTicketStore(IConnectionMultiplexer redis, IDataProtectionProvider dataProtection) : ITicketStore
{
    private const string KeyPrefix = "catsyphon:web:session:";
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(8);

    private readonly IDataProtector protector = dataProtection.CreateProtector("CatSyphon.Web.SessionTickets");

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        await RenewAsync(key, ticket);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        var lifetime = ticket.Properties.ExpiresUtc is { } expires ? expires - DateTimeOffset.UtcNow : DefaultLifetime;
        var value = protector.Protect(TicketSerializer.Default.Serialize(ticket));
        return redis.GetDatabase().StringSetAsync(KeyPrefix + key, value, lifetime > TimeSpan.Zero ? lifetime : TimeSpan.FromSeconds(1));
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        var value = await redis.GetDatabase().StringGetAsync(KeyPrefix + key);
        if (value.IsNullOrEmpty)
        {
            return null;
        }

        try
        {
            return TicketSerializer.Default.Deserialize(protector.Unprotect((byte[])value!));
        }
        catch (CryptographicException)
        {
            // Written with a key this server no longer has: the person signs in again.
            return null;
        }
    }

    public Task RemoveAsync(string key) => redis.GetDatabase().KeyDeleteAsync(KeyPrefix + key);
}
