namespace CatSyphon.Data.Configurations;

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> builder)
    {
        builder.HasNameAndUniqueSlug();
    }
}

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> builder)
    {
        builder.HasNameAndUniqueSlug();

        // An organization with workspaces cannot be deleted by accident.
        builder.HasOne(w => w.Organization)
            .WithMany(o => o.Workspaces)
            .HasForeignKey(w => w.OrganizationId)
            .OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class EnrollmentTokenConfiguration : IEntityTypeConfiguration<EnrollmentToken>
{
    public void Configure(EntityTypeBuilder<EnrollmentToken> builder)
    {
        builder.Property(t => t.Prefix).HasMaxLength(ColumnLimits.KeyPrefix);
        builder.HasIndex(t => t.TokenHash).IsUnique();
    }
}

internal sealed class CollectorConfiguration : IEntityTypeConfiguration<Collector>
{
    public void Configure(EntityTypeBuilder<Collector> builder)
    {
        builder.Property(c => c.CollectorType).HasMaxLength(ColumnLimits.Label);
        builder.Property(c => c.CollectorVersion).HasMaxLength(ColumnLimits.Label);
        builder.Property(c => c.Hostname).HasMaxLength(ColumnLimits.Hostname);
        builder.Property(c => c.Metadata).HasColumnType("jsonb");
        builder.Property(c => c.ApiKeyPrefix).HasMaxLength(ColumnLimits.KeyPrefix);

        // Authentication looks a key up by its hash: the current one, or the previous one during a rotation grace period.
        builder.HasIndex(c => c.ApiKeyHash).IsUnique();
        builder.HasIndex(c => c.PreviousApiKeyHash).HasFilter("previous_api_key_hash IS NOT NULL");
        builder.HasIndex(c => new { c.WorkspaceId, c.LastSeenAt });
    }
}

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> builder)
    {
        builder.HasIndex(p => new { p.WorkspaceId, p.Directory }).IsUnique();
    }
}

internal sealed class DeveloperConfiguration : IEntityTypeConfiguration<Developer>
{
    public void Configure(EntityTypeBuilder<Developer> builder)
    {
        builder.Property(d => d.Username).HasMaxLength(ColumnLimits.Identifier);
        builder.HasIndex(d => new { d.WorkspaceId, d.Username }).IsUnique();
    }
}

internal static class SluggedConfiguration
{
    /// <summary>A display name, and a slug that addresses the row in URLs and is unique across the server.</summary>
    public static void HasNameAndUniqueSlug<T>(this EntityTypeBuilder<T> builder) where T : class, ISlugged
    {
        builder.Property(s => s.Name).HasMaxLength(ColumnLimits.Name);
        builder.Property(s => s.Slug).HasMaxLength(ColumnLimits.Slug);
        builder.HasIndex(s => s.Slug).IsUnique();
    }
}
