using CatSyphon.Web.Api;
using CatSyphon.Web.Authentication;
using CatSyphon.Web.Components;
using CatSyphon.Web.Services;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseHttpsEdge();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}

app.UseSecurityHeaders(SecurityHeaders.WebPolicy);
app.UseAntiforgery();
app.MapStaticAssets();
app.MapWebSessionEndpoints();
app.MapOidcSignInEndpoints();
app.MapExportDownloads();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

app.MapDefaultEndpoints();

app.Run();
