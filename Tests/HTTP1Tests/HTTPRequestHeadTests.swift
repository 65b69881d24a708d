import HTTP1
import Testing

@Suite struct HTTPRequestHeadTests {
    @Test func upgradeNeedsBothFields() {
        func head(_ headers: HTTPHeaders) -> HTTPRequestHead {
            HTTPRequestHead(method: .get, target: "/", version: .http1_1, headers: headers)
        }
        #expect(head(["Upgrade": "websocket", "Connection": "keep-alive, Upgrade"]).isUpgrade)
        #expect(!head(["Upgrade": "websocket"]).isUpgrade)
        #expect(!head(["Connection": "upgrade"]).isUpgrade)
        #expect(head(["upgrade": "websocket", "CONNECTION": "UPGRADE"]).headers["Connection"] == "UPGRADE")
    }
}
