using LeadTools.Core.Records;

namespace LeadTools.Core.Tests
{
    public class ObjectTypesTests
    {
        [Theory]
        [InlineData("Lead.csv", "Lead")]
        [InlineData("leads.json", "Lead")]
        [InlineData("Lead_Data.csv", "Lead")]
        [InlineData("data-Contact.json", "Contact")]
        [InlineData("data-Contact-large.json", "Contact")]
        [InlineData("accountData.csv", "Account")]
        [InlineData("Opportunities.csv", "Opportunity")]
        [InlineData("Market__cs.json", "Market__c")]
        [InlineData("CampaignMembers.csv", "CampaignMember")]
        [InlineData("extract.csv", null)]
        [InlineData("bulkUpsert.csv", null)]
        public void FromFileName(string name, string? expected) => Assert.Equal(expected, ObjectTypes.FromFileName("/x/" + name));

        [Theory]
        [InlineData("00Q5e00000A1b2cEAB", "Lead")]
        [InlineData("0035e00000A1b2c", "Contact")]
        [InlineData("001x0000002xLCVAA2", "Account")]
        [InlineData("006x0000001YuG5AAK", "Opportunity")]
        [InlineData("7ddd0b31-ed8b-e511-80d2-00155d2a68d4", null)]
        [InlineData("1", null)]
        public void FromSalesforceId(string id, string? expected) => Assert.Equal(expected, ObjectTypes.FromSalesforceId(id));

        [Theory]
        [InlineData("accounts", "account")]
        [InlineData("opportunities", "opportunity")]
        [InlineData("contactTags", "contactTag")]
        [InlineData("addresses", "address")]
        [InlineData("status", "status")]
        public void Singular(string plural, string singular) => Assert.Equal(singular, ObjectTypes.Singular(plural));

        [Fact]
        public void RecordFieldsKeepCaseAndOrderAndMatchCaseInsensitively()
        {
            var r = new CrmRecord("Lead");
            r.Add("LastName", "Smith");
            r.Add("EMAIL", "a@x.com");
            r.Set("email", "b@x.com");
            r.Set("Company", "Acme");
            Assert.Equal(new[] { "LastName", "EMAIL", "Company" }, r.Names);
            Assert.Equal("b@x.com", r["Email"]);
            Assert.True(r.Remove("lastname"));
            Assert.Equal(new[] { "EMAIL", "Company" }, r.Names);
        }

        [Fact]
        public void IdFollowsTheIdField()
        {
            var r = new CrmRecord("Lead");
            Assert.Null(r.Id);
            r.Add("Id", "00Q1");
            Assert.Equal("00Q1", r.Id);
            r.Set("Id", "00Q2");
            Assert.Equal("00Q2", r.Id);
        }
    }
}
