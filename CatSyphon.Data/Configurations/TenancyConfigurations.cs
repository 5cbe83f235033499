using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CatSyphon.Data.Configurations;

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> builder)
    {
        builder.Property(o => o.Id).ValueGeneratedNever();
        builder.Property(o => o.Name).HasMaxLength(ColumnLimits.Name);
        builder.Property(o => o.Slug).HasMaxLength(ColumnLimits.Slug);
        builder.HasIndex(o => o.Slug).IsUnique();
    }
}

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> builder)
    {
        builder.Property(w => w.Id).ValueGeneratedNever();
        builder.Property(w => w.Name).HasMaxLength(ColumnLimits.Name);
        builder.Property(w => w.Slug).HasMaxLength(ColumnLimits.Slug);
        builder.HasIndex(w => w.Slug).IsUnique();

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
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Prefix).HasMaxLength(ColumnLimits.KeyPrefix);
        builder.HasIndex(t => t.TokenHash).IsUnique();

        builder.HasOne(t => t.Workspace)
            .WithMany(w => w.EnrollmentTokens)
            .HasForeignKey(t => t.WorkspaceId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CollectorConfiguration : IEntityTypeConfiguration<Collector>
{
    public void Configure(EntityTypeBuilder<Collector> builder)
    {
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.CollectorType).HasMaxLength(ColumnLimits.Label);
        builder.Property(c => c.CollectorVersion).HasMaxLength(ColumnLimits.Label);
        builder.Property(c => c.Hostname).HasMaxLength(ColumnLimits.Hostname);
        builder.Property(c => c.Metadata).HasColumnType("jsonb");
        builder.Property(c => c.ApiKeyPrefix).HasMaxLength(ColumnLimits.KeyPrefix);

        // Authentication looks a key up by its hash: the current one, or the previous one during a rotation grace period.
        builder.HasIndex(c => c.ApiKeyHash).IsUnique();
        builder.HasIndex(c => c.PreviousApiKeyHash).HasFilter("previous_api_key_hash IS NOT NULL");
        builder.HasIndex(c => new { c.WorkspaceId, c.LastSeenAt });

        builder.HasOne(c => c.Workspace)
            .WithMany(w => w.Collectors)
            .HasForeignKey(c => c.WorkspaceId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> builder)
    {
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.HasIndex(p => new { p.WorkspaceId, p.Directory }).IsUnique();

        builder.HasOne(p => p.Workspace)
            .WithMany()
            .HasForeignKey(p => p.WorkspaceId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DeveloperConfiguration : IEntityTypeConfiguration<Developer>
{
    public void Configure(EntityTypeBuilder<Developer> builder)
    {
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.Username).HasMaxLength(ColumnLimits.Identifier);
        builder.HasIndex(d => new { d.WorkspaceId, d.Username }).IsUnique();

        builder.HasOne(d => d.Workspace)
            .WithMany()
            .HasForeignKey(d => d.WorkspaceId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}
