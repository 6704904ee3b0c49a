using System;
using System.Collections.Generic;
using LeadTools.Core.Funnel;
using LeadTools.Core.Records;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Tests.Funnel
{
    /// <summary>Builds merge groups for the funnel tests: people, memberships, opportunities, campaigns.</summary>
    internal sealed class FunnelTestKit
    {
        public const string NonResponseType = "012NONRESPONSE0AAA";
        private readonly List<CrmRecord> _members = new List<CrmRecord>();
        private readonly FunnelAnalyzer _analyzer;

        public FunnelTestKit(Action<JObject>? edit = null)
        {
            var json = JObject.Parse(FunnelConfig.ExampleJson);
            json["nonResponseRecordTypes"] = new JArray(NonResponseType);
            json["systemCampaignId"] = "701SYSTEM";
            edit?.Invoke(json);
            Config = FunnelConfig.Parse(json, "test");
            _analyzer = new FunnelAnalyzer(Config);
        }

        public FunnelConfig Config { get; }
        public IReadOnlyList<CrmRecord> Members => _members;

        public static CrmRecord Person(string type, string id, string status, string? recordType = null)
        {
            var r = new CrmRecord(type);
            r.Add("Id", id);
            r.Add("Status", status);
            if (recordType != null) r.Add("RecordTypeId", recordType);
            return r;
        }

        public static CrmRecord Lead(string id, string status, string? recordType = null) => Person("Lead", id, status, recordType);
        public static CrmRecord Contact(string id, string status, string? recordType = null) => Person("Contact", id, status, recordType);

        /// <summary>A membership of <paramref name="person"/> in <paramref name="campaign"/>.</summary>
        public FunnelTestKit Member(string id, CrmRecord person, string campaign, string? responseStatus, string? responseDate = null, string? created = null, string? opportunity = null)
        {
            var m = new CrmRecord("CampaignMember");
            m.Add("Id", id);
            m.Add("CampaignId", campaign);
            m.Add(ObjectTypes.SameType(person.ObjectType, "Contact") ? "ContactId" : "LeadId", person.Id);
            m.Add("CreatedDate", created ?? responseDate ?? "2025-01-01T00:00:00.000Z");
            if (responseStatus != null) m.Add(Config.ResponseStatusField, responseStatus);
            if (responseDate != null) m.Add(Config.ResponseDateField, responseDate);
            if (opportunity != null) m.Add(Config.OpportunityField, opportunity);
            _members.Add(m);
            return this;
        }

        public FunnelTestKit Opportunity(string id, bool closed = false)
        {
            var o = new CrmRecord("Opportunity");
            o.Add("Id", id);
            o.Add("IsClosed", closed);
            _analyzer.AddContext(o);
            return this;
        }

        public FunnelTestKit Campaign(string id, bool responsePrompt)
        {
            var c = new CrmRecord("Campaign");
            c.Add("Id", id);
            c.Add(Config.ResponsePromptField, responsePrompt);
            _analyzer.AddContext(c);
            return this;
        }

        public FunnelOutcome Merge(CrmRecord survivor, params CrmRecord[] others) => new MergeOutcomeEngine(_analyzer).Decide(survivor, others, _members);

        public FunnelOutcome MergeSelecting(string selected, CrmRecord survivor, params CrmRecord[] others) => new MergeOutcomeEngine(_analyzer).Decide(survivor, others, _members, selected);

        public FunnelAnalyzer Analyzer => _analyzer;
    }
}
