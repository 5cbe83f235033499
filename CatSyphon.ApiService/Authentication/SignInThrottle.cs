using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace CatSyphon.ApiService.Authentication;

/// <summary>
/// Counts failed sign-ins per account and per address in Redis, shared by every API replica, and refuses further
/// attempts (429) until the window of the exceeded counter ends. ASP.NET Core's rate limiter limits requests as they
/// arrive; what needs limiting here is failures, of an account named in the body, so the counting is done by hand.
/// </summary>
public sealed class SignInThrottle(IConnectionMultiplexer redis, IOptions<SignInOptions> options)
{
    /// <summary>How long until another attempt is allowed, or null when one is allowed now.</summary>
    public async Task<TimeSpan?> RetryAfterAsync(string normalizedEmail, string address)
    {
        var database = redis.GetDatabase();
        var settings = options.Value;
        foreach (var (key, limit) in new[] { (AccountKey(normalizedEmail), settings.MaxFailuresPerAccount), (AddressKey(address), settings.MaxFailuresPerAddress) })
        {
            if ((long?)await database.StringGetAsync(key) >= limit)
            {
                return await database.KeyTimeToLiveAsync(key) ?? settings.FailureWindow;
            }
        }

        return null;
    }

    public async Task RecordFailureAsync(string normalizedEmail, string address)
    {
        var database = redis.GetDatabase();
        var window = options.Value.FailureWindow;
        foreach (var key in new[] { AccountKey(normalizedEmail), AddressKey(address) })
        {
            // The window starts at the first failure and is not extended by later ones.
            await database.StringIncrementAsync(key);
            await database.KeyExpireAsync(key, window, ExpireWhen.HasNoExpiry);
        }
    }

    /// <summary>A successful sign-in clears its account's failures (not its address's).</summary>
    public Task ResetAsync(string normalizedEmail) => redis.GetDatabase().KeyDeleteAsync(AccountKey(normalizedEmail));

    // The email is hashed so Redis's files hold no address book.
    private static RedisKey AccountKey(string normalizedEmail) =>
        "catsyphon:signin-failures:account:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedEmail)));

    private static RedisKey AddressKey(string address) => "catsyphon:signin-failures:address:" + address;
}
