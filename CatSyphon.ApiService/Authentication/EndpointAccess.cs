using CatSyphon.Protocol;

namespace CatSyphon.ApiService.Authentication;

/// <summary>Where a workspace-scoped endpoint finds its workspace.</summary>
public enum WorkspaceSource
{
    /// <summary>The <c>workspace_id</c> query parameter (<see cref="WorkspaceScope"/>).</summary>
    Query,

    /// <summary>The <c>{id}</c> route value is the workspace's id.</summary>
    WorkspaceRoute,

    /// <summary>The <c>{id}</c> route value is a collector's; the workspace is the collector's.</summary>
    CollectorRoute,
}

/// <summary>
/// Who may call an endpoint of the management and query API, declared on every one of them (an endpoint without a
/// declaration stops the start, see <see cref="EndpointAccessDeclarations"/>) and written into the OpenAPI document as
/// <c>x-access</c>, from which the authorization matrix test derives each principal's expected answer.
/// </summary>
public abstract record EndpointAccess
{
    /// <summary>The OpenAPI extension holding <see cref="Name"/>.</summary>
    public const string OpenApiExtension = "x-access";

    /// <summary><c>anonymous</c>, <c>person</c>, <c>organization:admin</c>, <c>workspace:viewer</c>...</summary>
    public abstract string Name { get; }
}

/// <summary>Anyone, signed in or not (sign-in itself).</summary>
public sealed record AnonymousAccess : EndpointAccess
{
    public override string Name => "anonymous";
}

/// <summary>Any person, whatever their roles, and the admin token (their own account and tokens).</summary>
public sealed record PersonAccess : EndpointAccess
{
    public override string Name => "person";
}

/// <summary>A person with an account (not the admin token, which has none): their own tokens.</summary>
public sealed record AccountAccess : EndpointAccess
{
    public override string Name => "account";
}

/// <summary>A person with at least <see cref="Role"/> in their organization, or the admin token.</summary>
public sealed record OrganizationAccess(OrganizationRole Role) : EndpointAccess
{
    public override string Name => $"organization:{WireName.Of(Role)}";
}

/// <summary>
/// A person with at least <see cref="Role"/> in the endpoint's workspace (organization owners and admins are admins of
/// every workspace of their organization), or the admin token. Without any role there the answer is the 404 of an
/// unknown workspace or collector.
/// </summary>
public sealed record WorkspaceAccess(WorkspaceRole Role, WorkspaceSource Source) : EndpointAccess
{
    public override string Name => $"workspace:{WireName.Of(Role)}";
}

/// <summary>The protocol endpoints' access: a collector key (or, where said, the admin token).</summary>
public sealed record CollectorAccess(bool OrAdminToken = false) : EndpointAccess
{
    public override string Name => OrAdminToken ? "collector_or_admin_token" : "collector";
}

public static class EndpointAccessExtensions
{
    public static RouteHandlerBuilder AllowAnyone(this RouteHandlerBuilder endpoint) =>
        endpoint.AllowAnonymous().WithMetadata(new AnonymousAccess());

    public static RouteHandlerBuilder AllowAnyPerson(this RouteHandlerBuilder endpoint) => endpoint.WithMetadata(new PersonAccess());

    public static RouteHandlerBuilder RequireAccount(this RouteHandlerBuilder endpoint) => endpoint.WithMetadata(new AccountAccess());

    public static RouteHandlerBuilder RequireOrganizationRole(this RouteHandlerBuilder endpoint, OrganizationRole role) =>
        endpoint.WithMetadata(new OrganizationAccess(role));

    public static RouteHandlerBuilder RequireWorkspaceRole(
        this RouteHandlerBuilder endpoint, WorkspaceRole role, WorkspaceSource source = WorkspaceSource.Query) =>
        endpoint.WithMetadata(new WorkspaceAccess(role, source));
}
