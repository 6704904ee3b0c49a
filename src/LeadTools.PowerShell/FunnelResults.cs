using System.Linq;
using LeadTools.Core.Funnel;

namespace LeadTools.PowerShell
{
    /// <summary>A lead's or contact's responses (Get-ActiveResponse).</summary>
    public sealed class ActiveResponseInfo
    {
        internal ActiveResponseInfo(PersonFunnel p)
        {
            PersonId = p.Id;
            ObjectType = p.ObjectType;
            Status = p.Status;
            IsActive = p.IsActive;
            IsPassive = p.IsPassive;
            ActiveResponseId = p.ActiveResponse?.Id;
            ActiveCampaignId = p.ActiveResponse?.CampaignId;
            ActiveResponseStatus = p.ActiveResponse?.ResponseStatus;
            ActiveResponseDate = p.ActiveResponse?.ResponseDate;
            OpportunityActiveResponses = p.OpportunityActiveResponses.Select(r => new ResponseInfo(r)).ToArray();
            ViolationCount = p.Violations.Count;
        }

        /// <summary>The lead or contact.</summary>
        public string PersonId { get; }
        /// <summary>Lead or Contact.</summary>
        public string ObjectType { get; }
        /// <summary>Its status.</summary>
        public string? Status { get; }
        /// <summary>True for an active status.</summary>
        public bool IsActive { get; }
        /// <summary>True when processed passively.</summary>
        public bool IsPassive { get; }
        /// <summary>The active response (campaign member id).</summary>
        public string? ActiveResponseId { get; }
        /// <summary>Its campaign.</summary>
        public string? ActiveCampaignId { get; }
        /// <summary>Its response status.</summary>
        public string? ActiveResponseStatus { get; }
        /// <summary>Its response date.</summary>
        public string? ActiveResponseDate { get; }
        /// <summary>Responses linked to open opportunities.</summary>
        public ResponseInfo[] OpportunityActiveResponses { get; }
        /// <summary>How many integrity violations the person has (Test-FunnelIntegrity lists them).</summary>
        public int ViolationCount { get; }
    }

    /// <summary>One response.</summary>
    public sealed class ResponseInfo
    {
        internal ResponseInfo(Response r)
        {
            MemberId = r.Id;
            CampaignId = r.CampaignId;
            ResponseStatus = r.ResponseStatus;
            ResponseDate = r.ResponseDate;
            OpportunityId = r.OpportunityId;
        }

        /// <summary>The campaign member.</summary>
        public string MemberId { get; }
        /// <summary>The campaign.</summary>
        public string? CampaignId { get; }
        /// <summary>The response status.</summary>
        public string? ResponseStatus { get; }
        /// <summary>The response date.</summary>
        public string? ResponseDate { get; }
        /// <summary>The linked opportunity.</summary>
        public string? OpportunityId { get; }

        /// <inheritdoc />
        public override string ToString() => $"{MemberId} ({CampaignId}, {ResponseStatus}, {OpportunityId})";
    }
}
