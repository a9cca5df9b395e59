namespace Marketplace.Web.Domain;

public class ContributorProfile
{
    public required string UserId { get; set; }

    public ApplicationUser? User { get; set; }

    /// <summary>What buyers and exports show instead of the person's identity.</summary>
    public required string Pseudonym { get; set; }

    public string Skills { get; set; } = "";

    public string Languages { get; set; } = "";

    public string? Country { get; set; }

    public string Tier { get; set; } = "New";

    public DateTime? SuspendedAt { get; set; }

    public DateTime CreatedAt { get; set; }
}
