namespace CatSyphon.ApiService.Infrastructure;

/// <summary>The organization workspaces and people join when none is named (and the admin token's, which has none of its own).</summary>
internal static class DefaultOrganization
{
    public const string Slug = "default";

    /// <summary>The default organization, created on first use; concurrent first uses agree on one.</summary>
    public static async Task<Guid> GetOrCreateAsync(CatSyphonDbContext db, CancellationToken cancellationToken)
    {
        var existing = await db.Organizations.Where(o => o.Slug == Slug).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(cancellationToken);
        if (existing is { } id)
        {
            return id;
        }

        var organization = new Organization { Name = "Default organization", Slug = Slug };
        db.Organizations.Add(organization);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return organization.Id;
        }
        catch (DbUpdateException exception) when (ApiProblems.IsUniqueViolation(exception))
        {
            db.Entry(organization).State = EntityState.Detached;
            return await db.Organizations.Where(o => o.Slug == Slug).Select(o => o.Id).SingleAsync(cancellationToken);
        }
    }
}
