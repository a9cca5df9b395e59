namespace Marketplace.Web.Domain;

public class Organization
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public DateTime CreatedAt { get; set; }
}
