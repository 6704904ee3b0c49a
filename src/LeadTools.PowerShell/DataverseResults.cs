using System.Collections.Generic;
using System.Linq;
using LeadTools.Core.Records;

namespace LeadTools.PowerShell
{
    /// <summary>
    /// One Dataverse Web API request that applies a result: send <see cref="Body"/> with <see cref="Method"/> to
    /// <c>[org]/api/data/v9.2/</c> + <see cref="Url"/> (and <c>If-Match: </c><see cref="IfMatch"/> when set).
    /// </summary>
    public sealed class DataverseRequestResult
    {
        internal DataverseRequestResult(DataverseRequest r)
        {
            Method = r.Method;
            Url = r.Url;
            IfMatch = r.IfMatch;
            Body = r.Body.ToString(Newtonsoft.Json.Formatting.None);
        }

        /// <summary>POST (create) or PATCH (update).</summary>
        public string Method { get; }
        /// <summary>Relative to the Web API root: contacts, leads(guid).</summary>
        public string Url { get; }
        /// <summary>The exported record's etag for an update (send as If-Match), else null.</summary>
        public string? IfMatch { get; }
        /// <summary>The JSON request body (lookups as @odata.bind).</summary>
        public string Body { get; }

        internal static DataverseRequestResult[] From(IEnumerable<DataverseRequest> requests) => requests.Select(r => new DataverseRequestResult(r)).ToArray();
    }
}
