using System.Security.Cryptography;
using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;
using Microsoft.JSInterop;

namespace CatSyphon.Web.Services;

/// <summary>The workspace this browser looked at last, so the start page opens it again.</summary>
public sealed class WorkspaceMemory(ProtectedLocalStorage storage, ILogger<WorkspaceMemory> logger)
{
    private const string Key = "catsyphon.workspace";

    public async Task<Guid?> RecallAsync()
    {
        try
        {
            var stored = await storage.GetAsync<Guid>(Key);
            return stored.Success ? stored.Value : null;
        }
        catch (Exception exception) when (exception is CryptographicException or JSException or InvalidOperationException)
        {
            // Keys changed since it was stored, or the browser refuses storage: it is only a convenience.
            logger.LogDebug(exception, "The last workspace could not be read back.");
            return null;
        }
    }

    public async Task RememberAsync(Guid workspaceId)
    {
        try
        {
            await storage.SetAsync(Key, workspaceId);
        }
        catch (Exception exception) when (exception is JSException or InvalidOperationException)
        {
            logger.LogDebug(exception, "The last workspace could not be stored.");
        }
    }
}
