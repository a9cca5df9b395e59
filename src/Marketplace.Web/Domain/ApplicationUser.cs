using Microsoft.AspNetCore.Identity;

namespace Marketplace.Web.Domain;

public class ApplicationUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>Set for buyers only: a buyer sees just their organization's data.</summary>
    public Guid? OrganizationId { get; set; }

    public Organization? Organization { get; set; }

    public DateTime CreatedAt { get; set; }
}
