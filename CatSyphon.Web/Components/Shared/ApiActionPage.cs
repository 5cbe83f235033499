using CatSyphon.Web.Api;
using Microsoft.AspNetCore.Components;

namespace CatSyphon.Web.Components.Shared;

/// <summary>A page whose actions call the API: the last refusal or failure is shown (with <see cref="ApiErrorAlert"/>) instead of breaking the page.</summary>
public abstract class ApiActionPage : ComponentBase
{
    protected Exception? Error { get; private set; }

    protected async Task RunAsync(Func<Task> action)
    {
        try
        {
            Error = null;
            await action();
        }
        catch (ApiException exception)
        {
            Error = exception;
        }
    }
}
