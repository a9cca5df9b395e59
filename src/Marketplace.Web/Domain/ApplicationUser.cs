using Microsoft.AspNetCore.Identity;

namespace Marketplace.Web.Domain;

public class ApplicationUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>Set for buyers only: a buyer sees just their organization's data.</summary>
    public Guid? OrganizationId { get; set; }

    public Organization? Organization { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// Set when a fraud decision bans the account: it stops sign-in and every API token for good. Kept apart from
    /// Identity's lockout, which failed sign-ins set for minutes and which must not disable tokens.
    /// </summary>
    public DateTime? BannedAt { get; set; }
}
