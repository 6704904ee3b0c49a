using System.Linq;
using LeadTools.Core.Matching;
using LeadTools.Core.Records;

namespace LeadTools.Core.Tests.Matching
{
    /// <summary>SPEC 6.4: link each lead without a contact, or make a marketing-only contact; report accounts without contacts.</summary>
    public sealed class OrphanedLeadTests
    {
        private static CrmRecord Rec(string type, string id, params (string, object?)[] fields) => StrategyTests.Rec(type, id, fields);

        [Fact]
        public void Leads_are_linked_to_a_matching_contact_or_to_one_new_marketing_contact_per_person()
        {
            var linker = new OrphanedLeadLinker(MatchStrategy.EmailExact(), "ContactId", "Marketing_Only__c", "AccountId");
            linker.AddContact(Rec("Contact", "0031", ("Email", "ann@x.com"), ("AccountId", "0011")));
            var a = linker.Process(Rec("Lead", "00Q1", ("Email", "ANN@x.com"), ("AccountId", "0011"))).Single();
            Assert.Equal(OrphanAction.LinkedToContact, a.Action);
            Assert.Equal("0031", a.Lead["ContactId"]);
            var b = linker.Process(Rec("Lead", "00Q2", ("FirstName", "Bo"), ("Email", "bo@x.com"), ("AccountId", "0012"))).ToList();
            // Seed 004: "each account must be associated with one or more contact records": the new contact is attached to
            // the lead's account (AccountId), so account 0012 now has a contact and is not reported.
            Assert.Equal(new[] { OrphanAction.CreatedMarketingContact }, b.Select(o => o.Action).ToArray());
            Assert.Equal("0012", b[0].Contact!["AccountId"]);
            Assert.Equal(true, b[0].Contact!["Marketing_Only__c"]);
            Assert.Equal("Bo", b[0].Contact!["FirstName"]);
            var c = linker.Process(Rec("Lead", "00Q3", ("Email", "bo@x.com"))).Single();
            Assert.Equal(b[0].Contact!.Id, c.Contact!.Id);
            Assert.Empty(linker.Process(Rec("Lead", "00Q4", ("Email", "cy@x.com"), ("ContactId", "0039"))));
        }
    }
}
