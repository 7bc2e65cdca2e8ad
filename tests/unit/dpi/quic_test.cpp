#include "dpi/quic.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "dpi/crypto.h"
#include "dpi_test_util.h"

namespace wiretop::dpi {

extern const Dissector kQuic;

namespace {

using quic::ClientFlight;
using testing::from_hex;
using testing::from_text;
using Buf = std::vector<std::uint8_t>;

core::Bytes bytes(const Buf& v) {
  return {v.data(), v.size()};
}

// ---- Captured and published packets ------------------------------------------------

// RFC 9001 appendix A.2: the protected client Initial (1200 bytes).
constexpr std::string_view kRfc9001ClientInitial =
    "c000000001088394c8f03e5157080000449e7b9aec34d1b1c98dd7689fb8ec11d242b123dc9bd8bab936b47d"
    "92ec356c0bab7df5976d27cd449f63300099f3991c260ec4c60d17b31f8429157bb35a1282a643a8d2262cad"
    "67500cadb8e7378c8eb7539ec4d4905fed1bee1fc8aafba17c750e2c7ace01e6005f80fcb7df621230c83711"
    "b39343fa028cea7f7fb5ff89eac2308249a02252155e2347b63d58c5457afd84d05dfffdb20392844ae81215"
    "4682e9cf012f9021a6f0be17ddd0c2084dce25ff9b06cde535d0f920a2db1bf362c23e596d11a4f5a6cf3948"
    "838a3aec4e15daf8500a6ef69ec4e3feb6b1d98e610ac8b7ec3faf6ad760b7bad1db4ba3485e8a94dc250ae3"
    "fdb41ed15fb6a8e5eba0fc3dd60bc8e30c5c4287e53805db059ae0648db2f64264ed5e39be2e20d82df566da"
    "8dd5998ccabdae053060ae6c7b4378e846d29f37ed7b4ea9ec5d82e7961b7f25a9323851f681d582363aa5f8"
    "9937f5a67258bf63ad6f1a0b1d96dbd4faddfcefc5266ba6611722395c906556be52afe3f565636ad1b17d50"
    "8b73d8743eeb524be22b3dcbc2c7468d54119c7468449a13d8e3b95811a198f3491de3e7fe942b330407abf8"
    "2a4ed7c1b311663ac69890f4157015853d91e923037c227a33cdd5ec281ca3f79c44546b9d90ca00f064c99e"
    "3dd97911d39fe9c5d0b23a229a234cb36186c4819e8b9c5927726632291d6a418211cc2962e20fe47feb3edf"
    "330f2c603a9d48c0fcb5699dbfe5896425c5bac4aee82e57a85aaf4e2513e4f05796b07ba2ee47d80506f8d2"
    "c25e50fd14de71e6c418559302f939b0e1abd576f279c4b2e0feb85c1f28ff18f58891ffef132eef2fa09346"
    "aee33c28eb130ff28f5b766953334113211996d20011a198e3fc433f9f2541010ae17c1bf202580f6047472f"
    "b36857fe843b19f5984009ddc324044e847a4f4a0ab34f719595de37252d6235365e9b84392b061085349d73"
    "203a4a13e96f5432ec0fd4a1ee65accdd5e3904df54c1da510b0ff20dcc0c77fcb2c0e0eb605cb0504db8763"
    "2cf3d8b4dae6e705769d1de354270123cb11450efc60ac47683d7b8d0f811365565fd98c4c8eb936bcab8d06"
    "9fc33bd801b03adea2e1fbc5aa463d08ca19896d2bf59a071b851e6c239052172f296bfb5e72404790a21810"
    "14f3b94a4e97d117b438130368cc39dbb2d198065ae3986547926cd2162f40a29f0c3c8745c0f50fba3852e5"
    "66d44575c29d39a03f0cda721984b6f440591f355e12d439ff150aab7613499dbd49adabc8676eef023b15b6"
    "5bfc5ca06948109f23f350db82123535eb8a7433bdabcb909271a6ecbcb58b936a88cd4e8f2e6ff5800175f1"
    "13253d8fa9ca8885c2f552e657dc603f252e1a8e308f76f0be79e2fb8f5d5fbbe2e30ecadd220723c8c0aea8"
    "078cdfcb3868263ff8f0940054da48781893a7e49ad5aff4af300cd804a6b6279ab3ff3afb64491c85194aab"
    "760d58a606654f9f4400e8b38591356fbf6425aca26dc85244259ff2b19c41b9f96f3ca9ec1dde434da7d2d3"
    "92b905ddf3d1f9af93d1af5950bd493f5aa731b4056df31bd267b6b90a079831aaf579be0a39013137aac6d4"
    "04f518cfd46840647e78bfe706ca4cf5e9c5453e9f7cfd2b8b4c8d169a44e55c88d4a9a7f9474241e221af44"
    "860018ab0856972e194cd934";

// RFC 9369 appendix A.2: the same ClientHello protected with QUIC v2 (1200 bytes).
constexpr std::string_view kRfc9369ClientInitial =
    "d76b3343cf088394c8f03e5157080000449ea0c95e82ffe67b6abcdb4298b485dd04de806071bf03dceebfa1"
    "62e75d6c96058bdbfb127cdfcbf903388e99ad049f9a3dd4425ae4d0992cfff18ecf0fdb5a842d09747052f1"
    "7ac2053d21f57c5d250f2c4f0e0202b70785b7946e992e58a59ac52dea6774d4f03b55545243cf1a12834e3f"
    "249a78d395e0d18f4d766004f1a2674802a747eaa901c3f10cda5500cb9122faa9f1df66c392079a1b40f0de"
    "1c6054196a11cbea40afb6ef5253cd6818f6625efce3b6def6ba7e4b37a40f7732e093daa7d52190935b8da5"
    "8976ff3312ae50b187c1433c0f028edcc4c2838b6a9bfc226ca4b4530e7a4ccee1bfa2a3d396ae5a3fb51238"
    "4b2fdd851f784a65e03f2c4fbe11a53c7777c023462239dd6f7521a3f6c7d5dd3ec9b3f233773d4b46d23cc3"
    "75eb198c63301c21801f6520bcfb7966fc49b393f0061d974a2706df8c4a9449f11d7f3d2dcbb90c6b877045"
    "636e7c0c0fe4eb0f697545460c806910d2c355f1d253bc9d2452aaa549e27a1fac7cf4ed77f322e8fa894b6a"
    "83810a34b361901751a6f5eb65a0326e07de7c1216ccce2d0193f958bb3850a833f7ae432b65bc5a53975c15"
    "5aa4bcb4f7b2c4e54df16efaf6ddea94e2c50b4cd1dfe06017e0e9d02900cffe1935e0491d77ffb4fdf85290"
    "fdd893d577b1131a610ef6a5c32b2ee0293617a37cbb08b847741c3b8017c25ca9052ca1079d8b78aebd4787"
    "6d330a30f6a8c6d61dd1ab5589329de714d19d61370f8149748c72f132f0fc99f34d766c6938597040d8f9e2"
    "bb522ff99c63a344d6a2ae8aa8e51b7b90a4a806105fcbca31506c446151adfeceb51b91abfe43960977c874"
    "71cf9ad4074d30e10d6a7f03c63bd5d4317f68ff325ba3bd80bf4dc8b52a0ba031758022eb025cdd770b44d6"
    "d6cf0670f4e990b22347a7db848265e3e5eb72dfe8299ad7481a408322cac55786e52f633b2fb6b614eaed18"
    "d703dd84045a274ae8bfa73379661388d6991fe39b0d93debb41700b41f90a15c4d526250235ddcd6776fc77"
    "bc97e7a417ebcb31600d01e57f32162a8560cacc7e27a096d37a1a86952ec71bd89a3e9a30a2a26162984d77"
    "40f81193e8238e61f6b5b984d4d3dfa033c1bb7e4f0037febf406d91c0dccf32acf423cfa1e7071010d3f270"
    "121b493ce85054ef58bada42310138fe081adb04e2bd901f2f13458b3d6758158197107c14ebb193230cd115"
    "7380aa79cae1374a7c1e5bbcb80ee23e06ebfde206bfb0fcbc0edc4ebec309661bdd908d532eb0c6adc38b7c"
    "a7331dce8dfce39ab71e7c32d318d136b6100671a1ae6a6600e3899f31f0eed19e3417d134b90c9058f8632c"
    "798d4490da4987307cba922d61c39805d072b589bd52fdf1e86215c2d54e6670e07383a27bbffb5addf47d66"
    "aa85a0c6f9f32e59d85a44dd5d3b22dc2be80919b490437ae4f36a0ae55edf1d0b5cb4e9a3ecabee93dfc6e3"
    "8d209d0fa6536d27a5d6fbb17641cde27525d61093f1b28072d111b2b4ae5f89d5974ee12e5cf7d5da4d6a31"
    "123041f33e61407e76cffcdcfd7e19ba58cf4b536f4c4938ae79324dc402894b44faf8afbab35282ab659d13"
    "c93f70412e85cb199a37ddec600545473cfb5a05e08d0b209973b2172b4d21fb69745a262ccde96ba18b2faa"
    "745b6fe189cf772a9f84cbfc";

// ndpi/gquic.pcap: Chrome 85's Q050 Initial, CHLO with SNI and UAID.
constexpr std::string_view kGquicQ050Chlo =
    "c35130353008017697f17a15e6ef000045343459c182c17986405543d41c76101007b017e124d5b97f9c6644"
    "d7732abb434e8c288dc8315ee79f75f056c61df2548cd94436321fcbcf43f9e131f5df7fc18c5f2c29c671e3"
    "cfd57a9332663a3335fea1521a1c80102f6a6a36f485c756a20bc69925e308c2ce36e3795d75f5c8627c5717"
    "c5a4e3965164c6c8775e62c6e77e3c13fa8ad932cb9cccb8dc9007c3a4b67b5bf604ee165e4c9afdb72bb233"
    "e74188a446f4f11fc962f597e54393edb6c61c494b508a0566cd7fb7ceee9896350c83008aac66d4738ca6d2"
    "d377ecce65cbfba19b6d7e03a7efb72c9218d41f3fbc093ac4758961ac03a351f95fdf9a06ef7ddef680a774"
    "b131c50036d13d22980dcd170cafd7f2f1bc1971849271db393ec3192ccb2a91d8bcbaf021a163b3078713a8"
    "24b5ae38936a0fde5279cbfa21ca52e578c58ecebce7bdbbc798f0d3a3a7f39c5942c1c330893e5b53b90a76"
    "bdb675f242e0764a5e0adf771fe4cabf56ed8805f2776fd6010ca7ad211a86b71de22436bc1c8a63148fc968"
    "d4c40c2d275f21444b80b62e6177aa354f67ac2a424ce1c5f2b9639d32ed7a6165e462a75b840ef959fc6105"
    "34c02d969e23c50f424e484ffdffcba18dd15654331b8865a1624d5209d7120a7c306ad33253f0dca59a8323"
    "6e5e6f9f1666abcdaad9ec0a6a2353ff0de128d529715eeaca9917d56ed86be01c3bd2ab10f38de63daa5b6c"
    "e13b886defa01fec3530a53b27136d199d3c63229d0c455f8a4950ff1caf4a01f900646a9670fa8a027b345e"
    "78a63283ebbabe57f6fb03351584621ba5a8c34b8aef9fe7c37615d21aa2c56ed1cd070f733a57f22e583740"
    "2933b67f9ac021a4b94ad4409591bb31de5dc43d3e6f864d6af8cedc5d35ef0639d707d1fc3fd3616ac2a6d9"
    "6b4c605dbea88031ff67bbb7393b790ac07f84fa788a6bc77b379cb7b2c06ee45c209fad99729eab035d506a"
    "3257ad78918280d1a4c39b841b066a789c883d76ca738d71c4c59df753dcf12f067c0d8c10243a18872c2871"
    "be3e8caa793a1153d0482de40363e0f3ec28d0448cd0f19e900a0a2235d58918332623d4148527698a5b9905"
    "5d9dbf524ed6d2328c47290115268827e7f0bb55b8ca13630d1ebd2a9386c06c39778ec303d53e1a3eea6d10"
    "a98e06f5bf5e390336c840d4d4fe6c14f20aa28f4a3ead56ffa5412d58c461a3f62e92abe3d0f0e9936d2efe"
    "230d76ebd21100102edec8037d7364c26c7735035ea787e25bc02537405c333e05f1cebad7ebc973b48a564a"
    "aeb85b2668f4dd1c8089e4a4a08ef2f53608eee76a654ba433641c8174b5f341588dbf78c8bb859571b42daf"
    "54ee84fa53381810eac376ae1b7285a8ae1c3d8f81234d372c14c90d3bc7fae539627120f429d1a1ee080247"
    "c36d0f6a8c4a2e0a20cc6af481e618f58124e0eb75cd7e2d7726037029a2263cd736cad903d374ad0b1d649d"
    "79ab82dcb0b363dcc9e5b12d66f0388626a675f665e04e5cc42feb6918a5596f7eb0db970eb007f6bc38f2ae"
    "ba2a22d2102eb7c83a52d6ae78f5110ef8e084231f122904283755bab6ca67559dc428bc2e09bcb4d134bce2"
    "03fbfe47b5519b114944eb31e0844e6908c9af4345f267de0c58b68e7ce238354a4e80c62e1a27c3259e1747"
    "7c2ff45d642b54cd54383dff2772b95d9519289e6f5162737c14e001ef09e3f85e50c0f65a6901b9020447a8"
    "61f491afc3267623abc93bb297b28acd09e5d903a8857ddb64f74b2a125ebb2e7594009999ffa373815fc95e"
    "b1a8411474baaa16542ff18f5bbe73ae8c447f32dd37fc0d4a19d4be7b4ab4731ab916041e81d914a47f1595"
    "cd95120a01203d4e0ba7e7e7bfaa43ce1f3389f98b529854e49c9ca2dc7b";

// ndpi/quic-29.pcap: a draft-29 client Initial (SNI localhost, ALPN h3-29).
constexpr std::string_view kDraft29Initial =
    "c2ff00001d12f36e07bf0b7088ef28c71d488acaaff39ffc1143944eda18beb7e548b38d375bf3c2a3bc0044"
    "b743b590a797856cfe3b435db160a5ce8ae47c38a73c65dfb3e7fc034e2681da0ca59a6a5f5e85969d6f66e1"
    "c7e8dbdb824eba947a841c0e536314a8ce65386ba7e42b7da0efcc5f933f699b755027e43545c9cdd31b0f72"
    "73a78d6a0ce2c6201462ba012c562fd43601e7872d9a4514085dfc0be2eb3f95d23f665cb374043900dd88db"
    "e158a531faf9dec890f60ddbf539fdf5de821122dc9e5d59f62f129a7364633f83d1021a1d3a9583ae7901eb"
    "abbc1ce17152fe10f4753c6a7965fd96ad711b4dfe4cf3145cdfe58a185f06ed8b29c485fc910d8a7d3486b9"
    "694e678070e8780218f04a808e46730c166ba4910def45ca760c5b674f71db8f2f9228bf0583ec9bc8308d2f"
    "99f8d303529e419dd4aa25a9fa2d876e881292d454361023073e27c801e46415f1ac6088dc1c42c726f7776e"
    "322e4398dc2c3435d46336f40ab0d0231d94267419950524fa0e058b5b5a407e000af332fee5d5fa5d0bce4b"
    "13a91868d4aea72fe4c67e2ad0577d9e53a297873317b9e9e348665104f9cee50e20c7b9ec6e1a93497b8cb3"
    "cf1609e33dcb89e7e6e1647831a84a2ee983e255e6915287084c45a4138ec555d2785dcb4dec2316adbb6b55"
    "347288aa06e632a38a9443cbe1409d6a5663976c414e152adcb89e17625e973269acc23224c1973019949fbd"
    "bd5cf2528da05594dd4f5026c900898e60b3620fb0ab836ac44e610f1e01565158ed59487d3f8b39765e33ef"
    "a7b08389698ec96925b68bed638bb8c6bf0bd9fa5eb10792539e2b2a9d44dd17c1919110224e0db91c1b291f"
    "0b56aeafcfa3896abf30d960cdc989a0a1e42f146ef2bd249c834fcbc41aee4b66ee2fc96fb30ac084cba1ed"
    "626f9397ecb4c011fd4d8ba1c9b2bd9382ff32479b28091041e64fbc13701ec0569e618ae381647b8eea966d"
    "744c53c926e623bf7b365a4c69a1faad005d2ab4692fa198c1e8133078330b07396345df8ca5ca602b1e91ec"
    "b30f8ece9d7c4a3247ffbee1f3193e66799ca87d2f636898a9c982723f43b723923f3ee06ec3a53abfe4288f"
    "0a7efaf046ec583af7d5e39f95bb20daae4ad1c02a05bbee496aeb70a116593f696dc85cb21f82178b3cf9e5"
    "20e852689afebd2010590d10074d85a7dd51a571cc67b44a16ec7a7131f21b4a732dd4fe9b7cd7872bd00302"
    "ed4b6936652a48e398afa06e3c9eb3b975086b74498c04e6e0c4d227998ce9fe353da7f7a4c98e5eb7e37846"
    "b19186328b291155f3e83271ebc8ec72c9001912dfb6e9c02b859cadb9b4315c9951b7faf075dc92b0074a5e"
    "5937f81bc178c7c02ffa916fda88c36141d63c3616e825070ac1331b380795c0a175286ccb18a348a80f1c44"
    "8061d53d562c2a9e8b793c81dfc2edbc4a3605f361e246c3fb1c1802825ab71ed01f0617c5ce460bb5855bfa"
    "33077fb2e068fe81bd83d52ad093fed868f81101e4658cc86de0b4d1191dd152c9cde739a7cb0e97b935a09d"
    "89c509c3a96aba73c120ad5ad2bfcc74f02e3a84297f8b374e2bb1afc0611069490e3a42f402b8844441e878"
    "2149445b4ff3902ac22749721f2d6cafbbba040f3746d492586228d7e74370a1ef68ba7f42bc0f1f30dceb9b"
    "e8a064ed6b2612d1412228d10e0c1be6b563b6222e27217eea17a0cb6596eb17f789643b34c3235b131edb7d"
    "63e58b4c8033c14d56c501168acf1667abf61903";

// ndpi/quic_0RTT.pcap: a draft-28 Initial coalesced with a 0-RTT packet (SNI abcd).
constexpr std::string_view kDraft28InitialAnd0Rtt =
    "c3ff00001c084235d5abadbe3e5508b0ecb0f544630dfb32fb3a43cc02d5e93655b93b46f6feafb729d70eb6"
    "8605a812303a2e006de3994c0f6bf2ca7147cf44cee1ac48c1ff6d41fd7a41c443ddb6c5e6948d6d8581b5a6"
    "5e332a4beebadd463aecd2084d7a64171c11db637e78c1af94b571ab50cfcaf1a26624dca8249a099d0962a2"
    "adfaf76b201a74c372b8f5051a5a6d43b8977e710209cc2733f7780a5c0f9a427f2a26e3be9441c6ca208b56"
    "079623dfdd93bab87e24a7c95601f19ffcf3fd4f1ac48fafbccc9da86274f97cb069d31bd313fa9c789b2584"
    "1073a3a12534c96f4394d4049643a08adcd98e5946bc6854862048202305e10014bf7fee3f6508a0e94ee578"
    "af1246fe4c490363e4de46540e0082146ec199368a3120e7bd4d027cd93bc0ec2ac45532816bfd14c0455b0c"
    "0f9e81552f8994221f989bdc47edef28d14b0acba2c26bf8960b13f6f580f090a95dff5fd0235c6addd7ce15"
    "fc8d3af40c4bd56de1adf8e173d913c6beb51506f788178fa4740d3eb9963e95b383ae6506faf6ef2cb3a23e"
    "b06124db3bbf3597461ab5f0e5fdd0ef75021f2abd8feae2cc1b324966407e11fe9a11e85139cd344dd7b898"
    "bbd2dcab4dd13ee21f8204b187370dbf64d2c721a3d18c08148122210fbe0191d18ebb76f3d5e6c964b56216"
    "b80ae0fd59588d85f9c276917d5e7add68d76d360d194b181fac89d762b7f4f2ddfbdb311ae0ec0efef0b8e1"
    "d0ff00001c084235d5abadbe3e5508b0ecb0f544630dfb42a7c3238813520f14ffa097acd90b676786bdaf25"
    "b8d7e29e208df38789d6c315d7971c378207a011faff232526225952a938a4f5b580d9d9e69801bf043388ee"
    "b2403083c5894430c02e313aedabdf6c5cb66c0285195c2588b6eaf60f727ded831bbcee75aa2aed570a8d6f"
    "0325463316ed241b77f423e7a0f4a11149213db4d82b69a50285f0d8d027de1973c72067cd3aa5767a295db7"
    "70b2a4c960c78df8766bf98bc6ce1725aeaec3de47d14fc4b029d04d7bcf7f59a300b2f66ccc4ee1222927d5"
    "1595446fc039e81f69a461318100bc40ed007f7bdfa92dadb4a36f15850e81d5af9f10d5c48437c65592e842"
    "e7afd204c893fb40dd779cd656db2c839d10a519d940aa12999ddbecc32660c5dc2cc29305afe1e9e3a2fad0"
    "73f7f84b6bfe0f9943e75229a3cbf23faa8d4e3fe466c3946f98f061a93f9c9eb43cd65b8c0de704e2d517ef"
    "5cb9148b8541de6e0bc106ef4b89e8724c3ea76b7d148258b8bb55d1d30753a1efec76956eb4b6ac47a8a23f"
    "3c2243b5535e2a5093f12e6836532dfa897ab661a23a55f22fc1a34ea50c4caba289e01202df6ee057a17ba6"
    "4446a90cabfdf2d743dfd0020a6398c3643fde51a448babd83383f784b93b60641506707e214d0d138dc2141"
    "5a24026c3e8619173cf19755f2ec61125c86ba8abf607177a1d57a40416cf4f0ddd96e349a52443d3ad4fd86"
    "cdac32bd117eae25263b19f3792494c3784bd67d03ac434bb2f086239722794f1b674179ead38c157d4b5f7e"
    "29cd58c47b70dae3c169b0d0b91d8a0a0b31e97f74dec94240c82e934fc12610d3b4f46d19c2e76c60389e6e"
    "9874cfae2a31db3c077d123a94bbdf071ee3e4f47f8974ed9288fac1e7a47e619815985036c3f58640a4fba0"
    "897c2228d66d5214b35686880625920980b5abbddb6a21c8b0f69b53aacc7975452c31ddcaa03cbbd29d9510";

// ndpi/quic_frags_ch_in_multiple_packets.pcapng: a 1578-byte ClientHello in two
// Initials; the first datagram...
constexpr std::string_view kV1SplitHelloFirst =
    "c30000000108e0ea07d1045fdfdf085bb4b299cb9dcac40044b6b9cce1dff4908dedd93e453b7453113bc0dc"
    "71a19ab6f09d099af923d83e7f22618b8774a6905bc4a8bd7d3e5787673ec7983bee154d266575e89f813f15"
    "350401d38b5addc13264c0e9291b5e816e1d7a4928e473d46c48a274d99240eb8fde91fff12a0bf71eed4c14"
    "3383638bdd4a42aa30275f5ea9140750f95fd16ea2757b2cd615d6f00507761ee0b1fc88f5e75051448d979f"
    "fcfe003078ad51785833aeb739b5d0ef2c876b2c2c57b663230a11e4858643b65b131c01ab4d036950e2a257"
    "237d8ada4ca01b8582ed0f016f485314c1bf9b2c049fbcb8d79d4e493e276540cabc39587155a3b85faa4d5b"
    "296bf887edcd94bb23e1a5362f2231f441e654c59cd98524c57a3d8b5b01653f6605ce91b08894b005a88b31"
    "8fb9ffbd038a80259aac950bb48534b026e3eedf51cfc226c7f47fc1436cf1a3304178af87f9fb42d5647f78"
    "532e16774b6c4ac00e988c63c703188602d5566ad5b7b4c1471668b4bb0c3001392a06380b7ec9ec0282bef8"
    "74e2f5c98f5cf7510558189878f19f63d831fad9af3f0d05d2ef871479ab20a1723ffdf72acaa1bff9d12790"
    "4cb2425f5fe74562c13cd4cea841c2bd351d96a907c74104875274e2dc53fc6eef7db9078804e8c6eb66beb0"
    "e8363b0a1ace81cd955b0a317a1b19a38d6b58166c390348c8fccbbfd2740518a9fb0ec626663173edee6dee"
    "a0c5d6b3f56f929f8dc2b1b44842b85b0a01c66972df2c6df761c694e17fba961669643211ae97c796278d93"
    "41381c77ef996ea74d79307291ca51cfcb5ade7e5a8b875afc4c9f8c7e95d403bd7d7ed79f3b095dd7330c01"
    "64cd916b36ad1211d6d51277393fb10b78227bab669a731076e5ec78599cf95d89693e7faba31153f4e5c18d"
    "11abb12d27cf996f3197a88baee23c42c7da0c9a2ebacfae6e5f0dea20d34e794c475c9c9ca405b0e437b857"
    "3695478970ca0cca1aa967c782f7254bde223fa839bca1ec5e7a36a4dee42e14570d2b5ce2b9bea0ca69fad2"
    "383be489e2134e0c74dc1da950d296f512eed4f86d6d7519b98d2088f9e03df2a08cc116c1b81a87922fc939"
    "ef79a2fab04a9ff637ebde416bb32f86356fceca8ae40e746923c4687f31b0d6d2f188394f821d67f6b1f247"
    "5a5175bcbd0677ffac31c47936b1a2d3f45a10298201c21daff2149102cd5aacf5a4bb8b6c960dc25f4b8d00"
    "1729d43f55062a125efee5315e287ba97b61790ec55f122402156fddc3e809103bd427ecd84fc47b2d5f54a4"
    "56e653095bd3eb88973b1a85adcb1ef4a4e759b0af075e24043e260a25a4a2a0dd1caf6f010eba4c51fba725"
    "15a7f0f88b9975264edb883086e11721b2f8443ac619c3f80ff484b24d58d1cc5cbbbf91f501a2ea402504c2"
    "71fb0286881a7aa803e9ee5e49808de4f4fdf97a46377f867f83f125f0ec4e3b11632f6925cb5f68f0b786a8"
    "723a340a7c2c76adba6f802f4f311541c898ed2c9c469e425402e1b797a5056a4515be8b19fb933ade551cb3"
    "7f7eaf7aae883039caeecd009f00fe2f3b941c641becb599dc835ec6810c27dc2b76713ffb2865c638afed10"
    "09a48a6312b74e77224dbb954f67a68097baa04d7b24568c28bffea0da80de5cbe4a7cb9dcb1eddc39c65737"
    "d64069d22694f6c35c468a2972f654df0322ec77e7ef981b6e1f6d25a7c3ebb3b66055420631dfe9592455fe";

// ...and the second.
constexpr std::string_view kV1SplitHelloSecond =
    "c80000000108e0ea07d1045fdfdf085bb4b299cb9dcac40044b6743ffa9c06bb24575ed08f4b89eaed25fa82"
    "b0f12dfb9efc45a30439c5b1a1c2fef0b23c9ba9627f7907de2e21cdf945001727376c69b2f6a4c5d3e5283f"
    "245ba7e87014c3bb0d96f7adab9a5d1b9a0a137bcaffd483cc95d3ce07af120f5708b2b9def98a28d900a7ca"
    "483cbe6e3fce76c82c560ee7df4d20e1de3be6a1ccaea8fc91ef02b2d9a9964264532dc8e1618d66b4dfc027"
    "b420ba092644f9153bf4a83876fcbdfc154e5379401237d4f827d15fbeeeb43f8631e3ae00ea1f9f42ed4bd4"
    "e0dbbff6aa03c674ce981a0770af782cfa08d7fcb8fa17b167c7b5781c1a85c460631acfedd5935ab47e2703"
    "c3f62529505bf1a3c4888268155a2fda6cce8c3702a661308d2d7a3ad31e07b5a37f04224fec8d525ff2d285"
    "fd1cc9ed4e7f58a6b81292adeb92f21479feda58692cee3e577cdb27529afb33010d06af2a8e27f654fa3af1"
    "4774edfc0691c395c1ecb010e62822db8ae4d151daf278940836c7a94012b1926f7a39030db63a3263ea95f6"
    "1a2029a290a58c2f850c16e93bb1f0f26348bfa7cbcbbafb9a770c1dbe735f8b099e892273aefb67e2328951"
    "d73325ea90a04008364a0ec356d50590c9551f84501aa19bb69b69466738f534925b029adce9b5186f19d8c6"
    "202c1edf189a82a1042a0150c01fffbde6f3d760c4099101414ba485bb021311e997c1ee7805ef29203203ad"
    "836539cf8c16c50d1a065279ac375c3aaeffc490a993f7c28e9d6fe46b6dd3f07a50c865b4dd00bea897732b"
    "682081c29f3b0b33ea177dcf728f8c3d3a5004841ea7dc674bb761be7f30bba6a58f0ba30e1802ecf88f5acf"
    "b11fb2fc442459e1da60b17ff34c09a7dc9beffda9fab6ec65aec3fcfcfdc1d6188f4727ad7621ae0f47607b"
    "8f67dc0a0df192e6f6088a165844631b10c6c670580b74e00d95b4eba9ea7ba9e61a22ee5bb38dabb6ff7119"
    "800be3dcb3c53909263ee86e99345838378663a8d06d062ae30de43dc32ec77a0807a4b6d81cfd1c9018658f"
    "7f539d06b18e67cf3ab1595261f548e773bcc0ba75630098d50985cdd3e949ebed8b32765d8bc527e630df38"
    "abd6ac01c43e1b867b680e0f9a106c2a23288dc97807088d7724e429257b616e94408faf1693836e5417519a"
    "6b3ab49b1117af4930bfd8f81fc1507de856648234b89c4961e38af3704831bf77b41ea404b5c0d606c0d993"
    "cd643f3c28f98fd09dc3aea69ba4436566abc439bfa1293d344305ad8ef128aec87ae6efacf59de960c3749f"
    "41a2fa7937384788abb05524b1fddd1ed40e9b535162e5d7d411cad8e26095acb42daebccbfd4aae85949d9f"
    "5a7288ecb4308d18fdb9db0782ba274e2b5d9ea712da75114fcd9124b2cfef901aec1af2ffbe981660c9145d"
    "1d7932ff2392ad31b16e63629103ff05739a3b79e5af1794ed2aae3a1a3aa1f3069000fd9bd9e70f4e090695"
    "c36ecca69c1b869135200293d1a7e347360f9a021c17d105efdb59d3d463891a4819fe43a4dbdada6b951eaf"
    "3c473f8dff64d9f0a9c5464b67a4d3115d6b0ca88bba72be3d0655ae029e04e652e2472c74a05d76058285cb"
    "2333f2e7131d118919165c4a453e0feafbc699f1c194bed9665f345a61c09ef54b0388a73fd37a350ea0a44b"
    "9a7d03078810bc459eebee9ffb360496f3f37e7548420fb069d2e39098151b624b727668b614586f1117db25";

// RFC 9001 appendix A.2: the ClientHello inside kRfc9001ClientInitial (and
// kRfc9369ClientInitial), offered for example.com.
const Buf kRfcClientHello = from_hex(
    "010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e86804fe3a47f06a2b69484c"
    "00000413011302010000c000000010000e00000b6578616d706c652e636f6dff01000100000a"
    "00080006001d0017001800100007000504616c706e000500050100000000003300260024001d"
    "00209370b2c9caa47fbabaf4559fedba753de171fa71f50f1ce15d43e994ec74d748002b0003"
    "020304000d0010000e0403050306030203080408050806002d00020101001c00024001003900"
    "320408ffffffffffffffff05048000ffff07048000ffff0801100104800075300901100f0883"
    "94c8f03e51570806048000ffff");
const Buf kRfcDcid = from_hex("8394c8f03e515708");

// ---- Building protected packets ------------------------------------------------------

void append_varint(Buf& out, std::uint64_t v) {  // RFC 9000 section 16, shortest form
  const int length = v < 0x40 ? 1 : v < 0x4000 ? 2 : v < 0x40000000 ? 4 : 8;
  const std::uint8_t prefix = length == 1 ? 0x00 : length == 2 ? 0x40 : length == 4 ? 0x80 : 0xc0;
  for (int i = length - 1; i >= 0; --i) {
    auto b = static_cast<std::uint8_t>(v >> (8 * i));
    out.push_back(i == length - 1 ? static_cast<std::uint8_t>(b | prefix) : b);
  }
}
void append(Buf& out, const Buf& more) {
  out.insert(out.end(), more.begin(), more.end());
}

Buf crypto_frame(std::uint64_t offset, const Buf& data, std::size_t from = 0,
                 std::size_t to = SIZE_MAX) {
  to = std::min(to, data.size());
  Buf f{0x06};
  append_varint(f, offset + from);
  append_varint(f, to - from);
  f.insert(f.end(), data.begin() + static_cast<std::ptrdiff_t>(from),
           data.begin() + static_cast<std::ptrdiff_t>(to));
  return f;
}
// The part [from, to) of `hello` as a CRYPTO frame at its own offset.
Buf piece(const Buf& hello, std::size_t from, std::size_t to = SIZE_MAX) {
  return crypto_frame(0, hello, from, to);
}

struct Initial {
  std::uint32_t version = quic::kVersion1;
  Buf dcid = kRfcDcid;
  Buf scid;
  Buf token;
  std::uint64_t packet_number = 0;
  std::size_t pn_length = 2;
  std::size_t size = 1200;               // PADDING fills the packet up to this
  std::optional<quic::PacketKeys> keys;  // default: derived from dcid
};

// A client Initial protected as RFC 9001 section 5 says (v2: RFC 9369).
Buf protect(const Initial& s, const Buf& frames) {
  const quic::PacketKeys keys = s.keys ? *s.keys : *quic::client_initial_keys(s.version, s.dcid);
  const std::uint8_t type_bits = s.version == quic::kVersion2 ? 0x10 : 0x00;
  Buf header{static_cast<std::uint8_t>(0xc0 | type_bits | (s.pn_length - 1))};
  for (int i = 3; i >= 0; --i) header.push_back(static_cast<std::uint8_t>(s.version >> (8 * i)));
  header.push_back(static_cast<std::uint8_t>(s.dcid.size()));
  append(header, s.dcid);
  header.push_back(static_cast<std::uint8_t>(s.scid.size()));
  append(header, s.scid);
  append_varint(header, s.token.size());
  append(header, s.token);
  Buf payload = frames;
  const std::size_t overhead = header.size() + 2 + s.pn_length + 16;
  if (payload.size() + overhead < s.size) payload.resize(s.size - overhead, 0x00);
  const std::size_t length = s.pn_length + payload.size() + 16;
  header.push_back(static_cast<std::uint8_t>(0x40 | (length >> 8)));  // 2-byte varint
  header.push_back(static_cast<std::uint8_t>(length));
  const std::size_t pn_offset = header.size();
  for (std::size_t i = s.pn_length; i-- > 0;)
    header.push_back(static_cast<std::uint8_t>(s.packet_number >> (8 * i)));

  std::array<std::uint8_t, 12> nonce = keys.iv;
  for (std::size_t i = 0; i < 8; ++i)
    nonce[11 - i] ^= static_cast<std::uint8_t>(s.packet_number >> (8 * i));
  const Buf sealed = crypto::aes128_gcm_seal(keys.key, nonce, bytes(header), bytes(payload));
  std::array<std::uint8_t, 16> mask{};
  EXPECT_TRUE(
      crypto::aes128_ecb_block(keys.hp, core::Bytes(sealed.data() + (4 - s.pn_length), 16), mask));
  header[0] ^= mask[0] & 0x0f;
  for (std::size_t i = 0; i < s.pn_length; ++i) header[pn_offset + i] ^= mask[1 + i];
  append(header, sealed);
  return header;
}

// A long-header packet of another type with an opaque payload (0-RTT: type 1).
Buf long_packet(std::uint8_t type, std::uint32_t version, const Buf& dcid, std::size_t payload) {
  Buf p{static_cast<std::uint8_t>(0xc0 | (type << 4) | 0x01)};
  for (int i = 3; i >= 0; --i) p.push_back(static_cast<std::uint8_t>(version >> (8 * i)));
  p.push_back(static_cast<std::uint8_t>(dcid.size()));
  append(p, dcid);
  p.push_back(0);
  append_varint(p, payload);
  p.resize(p.size() + payload, 0x5a);
  return p;
}

// A ClientHello-shaped handshake message of `body` bytes (type 1, 24-bit length).
Buf client_hello(std::size_t body) {
  Buf m{0x01, static_cast<std::uint8_t>(body >> 16), static_cast<std::uint8_t>(body >> 8),
        static_cast<std::uint8_t>(body)};
  for (std::size_t i = 0; i < body; ++i) m.push_back(static_cast<std::uint8_t>(i * 7 + 3));
  return m;
}

Buf cat(std::initializer_list<Buf> parts) {
  Buf out;
  for (const Buf& p : parts) append(out, p);
  return out;
}

// Feeds client datagrams; returns the status after each.
std::vector<ClientFlight::Status> feed(ClientFlight& flight, AppInfo& out,
                                       std::initializer_list<Buf> datagrams) {
  std::vector<ClientFlight::Status> seen;
  for (const Buf& d : datagrams) seen.push_back(flight.add_datagram(bytes(d), out));
  return seen;
}

Buf message(const ClientFlight& f) {
  return {f.message().begin(), f.message().end()};
}

constexpr auto kReading = ClientFlight::Status::Reading;
constexpr auto kComplete = ClientFlight::Status::Complete;
constexpr auto kFailed = ClientFlight::Status::Failed;

// ---- Versions, varints, keys ------------------------------------------------------------

TEST(Quic, VersionName_NamesEveryFamily) {
  EXPECT_EQ(quic::version_name(0x00000001), "1");
  EXPECT_EQ(quic::version_name(0x6b3343cf), "2");
  EXPECT_EQ(quic::version_name(0xff00001b), "draft-27");
  EXPECT_EQ(quic::version_name(0xff000022), "draft-34");
  EXPECT_EQ(quic::version_name(0x51303433), "Q043");
  EXPECT_EQ(quic::version_name(0x54303531), "T051");
  EXPECT_EQ(quic::version_name(0x1a2a3a4a), "0x1a2a3a4a");
  EXPECT_EQ(quic::version_name(0x00000002), "0x00000002");
}

// RFC 9000 appendix A.1's examples.
TEST(Quic, ReadVarint_Rfc9000Examples) {
  const auto read = [](std::string_view hex) {
    const Buf b = from_hex(hex);
    core::ByteReader r(bytes(b));
    const auto v = quic::read_varint(r);
    EXPECT_TRUE(!v || r.empty()) << hex;
    return v;
  };
  EXPECT_EQ(read("c2197c5eff14e88c"), 151288809941952652u);
  EXPECT_EQ(read("9d7f3e7d"), 494878333u);
  EXPECT_EQ(read("7bbd"), 15293u);
  EXPECT_EQ(read("25"), 37u);
  EXPECT_EQ(read("4025"), 37u);
  EXPECT_EQ(read("ffffffffffffffff"), (std::uint64_t{1} << 62) - 1);
  EXPECT_EQ(read(""), std::nullopt);
  EXPECT_EQ(read("c2197c5eff14e8"), std::nullopt);
  EXPECT_EQ(read("9d7f3e"), std::nullopt);
  EXPECT_EQ(read("7b"), std::nullopt);
}

template <std::size_t N>
Buf vec(const std::array<std::uint8_t, N>& a) {
  return {a.begin(), a.end()};
}

// RFC 9001 appendix A.1 and RFC 9369 appendix A.1: client Initial keys.
TEST(Quic, ClientInitialKeys_MatchRfcAppendices) {
  const auto v1 = quic::client_initial_keys(quic::kVersion1, bytes(kRfcDcid));
  ASSERT_TRUE(v1);
  EXPECT_EQ(vec(v1->key), from_hex("1f369613dd76d5467730efcbe3b1a22d"));
  EXPECT_EQ(vec(v1->iv), from_hex("fa044b2f42a3fd3b46fb255c"));
  EXPECT_EQ(vec(v1->hp), from_hex("9f50449e04a0e810283a1e9933adedd2"));
  const auto v2 = quic::client_initial_keys(quic::kVersion2, bytes(kRfcDcid));
  ASSERT_TRUE(v2);
  EXPECT_EQ(vec(v2->key), from_hex("8b1a0bc121284290a29e0971b5cd045d"));
  EXPECT_EQ(vec(v2->iv), from_hex("91f73e2351d8fa91660e909f"));
  EXPECT_EQ(vec(v2->hp), from_hex("45b95e15235d6f45a6b19cbcb0294ba9"));
}

TEST(Quic, ClientInitialKeys_DraftSaltsDifferAndUnknownVersionsHaveNone) {
  const auto key = [](std::uint32_t v) {
    const auto k = quic::client_initial_keys(v, bytes(kRfcDcid));
    return k ? vec(k->key) : Buf{};
  };
  // draft-33/34 share v1's salt; 29-32 share one; 23-28 share another.
  EXPECT_EQ(key(0xff000022), key(quic::kVersion1));
  EXPECT_EQ(key(0xff000021), key(quic::kVersion1));
  EXPECT_EQ(key(0xff00001d), key(0xff000020));
  EXPECT_EQ(key(0xff00001b), key(0xff00001c));
  EXPECT_NE(key(0xff00001d), key(quic::kVersion1));
  EXPECT_NE(key(0xff00001c), key(0xff00001d));
  EXPECT_NE(key(0x51303530), key(quic::kVersion1));
  EXPECT_TRUE(key(0xff000016).empty());  // draft-22: a salt we do not carry
  EXPECT_TRUE(key(0x1a2a3a4a).empty());
  EXPECT_TRUE(key(0x51303433).empty());  // Q043 is cleartext
}

// Our packet builder reproduces the RFC's protected bytes, so packets it
// builds below are protected exactly like real ones.
TEST(Quic, TestBuilder_ReproducesRfc9001AndRfc9369Packets) {
  Initial v1;
  v1.packet_number = 2;
  v1.pn_length = 4;
  v1.size = 1200;
  EXPECT_EQ(protect(v1, crypto_frame(0, kRfcClientHello)), from_hex(kRfc9001ClientInitial));
  Initial v2 = v1;
  v2.version = quic::kVersion2;
  EXPECT_EQ(protect(v2, crypto_frame(0, kRfcClientHello)), from_hex(kRfc9369ClientInitial));
}

// ---- Decrypting the client's Initial ----------------------------------------------------

TEST(QuicFlight, Rfc9001ClientInitial_YieldsTheClientHello) {
  ClientFlight flight;
  AppInfo out;
  EXPECT_EQ(feed(flight, out, {from_hex(kRfc9001ClientInitial)}), std::vector{kComplete});
  EXPECT_TRUE(flight.message_is_tls());
  EXPECT_EQ(message(flight), kRfcClientHello);
  EXPECT_EQ(out.quic_version, "1");
}

TEST(QuicFlight, Rfc9369V2ClientInitial_YieldsTheClientHello) {
  ClientFlight flight;
  AppInfo out;
  EXPECT_EQ(feed(flight, out, {from_hex(kRfc9369ClientInitial)}), std::vector{kComplete});
  EXPECT_EQ(message(flight), kRfcClientHello);
  EXPECT_EQ(out.quic_version, "2");
}

TEST(QuicFlight, V2PacketWithV1TypeBits_IsNotTakenForAnInitial) {
  // RFC 9369 3.2: in v2, type bits 00 mean Retry. A v2 packet protected as an
  // Initial but labelled 0b00 must not be read.
  Buf p = from_hex(kRfc9369ClientInitial);
  p[0] = static_cast<std::uint8_t>((p[0] & ~0x30) | 0x00);
  ClientFlight flight;
  AppInfo out;
  EXPECT_EQ(feed(flight, out, {p}), std::vector{kReading});
  EXPECT_EQ(out.quic_version, "2");
}

TEST(QuicFlight, EveryTruncationOfTheInitial_LearnsOnlyTheVersion) {
  const Buf whole = from_hex(kRfc9001ClientInitial);
  for (std::size_t n = 0; n < whole.size(); ++n) {
    ClientFlight flight;
    AppInfo out;
    const Buf cut(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_EQ(flight.add_datagram(bytes(cut), out), kReading) << n;
    EXPECT_EQ(out.quic_version, n >= 5 ? "1" : "") << n;
    EXPECT_TRUE(out.sni.empty());
  }
}

TEST(QuicFlight, AnyCorruptedByte_FailsAuthenticationAndYieldsNothing) {
  const Buf whole = from_hex(kRfc9001ClientInitial);
  // Every byte after the DCID: token/length fields, packet number, payload, tag.
  for (std::size_t i = 15; i < whole.size(); i += (i < 64 ? 1 : 37)) {
    Buf bad = whole;
    bad[i] ^= 0x04;
    ClientFlight flight;
    AppInfo out;
    EXPECT_EQ(flight.add_datagram(bytes(bad), out), kReading) << i;
  }
  Buf bad_dcid = whole;
  bad_dcid[6] ^= 0x01;  // other keys
  ClientFlight flight;
  AppInfo out;
  EXPECT_EQ(flight.add_datagram(bytes(bad_dcid), out), kReading);
}

// ---- Reassembling the ClientHello ----------------------------------------------------

TEST(QuicFlight, HelloInThreeInitials_CompletesOnlyWithTheLastPiece) {
  const Buf hello = client_hello(2600);
  Initial a, b, c;
  b.packet_number = 1;
  c.packet_number = 2;
  ClientFlight flight;
  AppInfo out;
  EXPECT_EQ(feed(flight, out,
                 {protect(a, piece(hello, 0, 1100)), protect(b, piece(hello, 1100, 2200)),
                  protect(c, piece(hello, 2200))}),
            (std::vector{kReading, kReading, kComplete}));
  EXPECT_EQ(message(flight), hello);
}

TEST(QuicFlight, InitialsArrivingOutOfOrder_StillComplete) {
  const Buf hello = client_hello(2000);
  Initial a, b;
  b.packet_number = 1;
  ClientFlight flight;
  AppInfo out;
  EXPECT_EQ(feed(flight, out, {protect(b, piece(hello, 1000)), protect(a, piece(hello, 0, 1000))}),
            (std::vector{kReading, kComplete}));
  EXPECT_EQ(message(flight), hello);
}

// Chrome's "chaos protection": many small CRYPTO frames in random order,
// between PING and PADDING frames, and ACK frames from a previous flight.
TEST(QuicFlight, ShuffledSmallCryptoFramesWithPingAckPadding_Complete) {
  const Buf hello = client_hello(900);
  const Buf ping{0x01}, padding(7, 0x00);
  const Buf ack = from_hex(
      "02"
      "05"
      "00"
      "01"
      "01"
      "00"
      "02");  // 19.3 with one more range
  const Buf ack_ecn = from_hex(
      "03"
      "00"
      "00"
      "00"
      "00"
      "01"
      "02"
      "03");
  const Buf frames = cat({piece(hello, 600, 904), ping, padding, piece(hello, 13, 300), ack,
                          piece(hello, 0, 13), ack_ecn, padding, piece(hello, 300, 600), ping});
  ClientFlight flight;
  AppInfo out;
  EXPECT_EQ(feed(flight, out, {protect(Initial{}, frames)}), std::vector{kComplete});
  EXPECT_EQ(message(flight), hello);
}

TEST(QuicFlight, RepeatedAndOverlappingPieces_AreHarmless) {
  const Buf hello = client_hello(500);
  const Buf frames = cat(
      {piece(hello, 0, 300), piece(hello, 100, 200), piece(hello, 250, 504), piece(hello, 0, 10)});
  ClientFlight flight;
  AppInfo out;
  EXPECT_EQ(feed(flight, out, {protect(Initial{}, frames)}), std::vector{kComplete});
  EXPECT_EQ(message(flight), hello);
}

TEST(QuicFlight, UnknownFrameStopsTheWalkButKeepsWhatCameBefore) {
  const Buf hello = client_hello(300);
  // 0x08 is a STREAM frame: not allowed in an Initial, length unknown to us.
  Initial b;
  b.packet_number = 1;
  ClientFlight flight;
  AppInfo out;
  EXPECT_EQ(
      feed(flight, out,
           {protect(Initial{}, cat({piece(hello, 0, 100), Buf{0x08, 0x00}, piece(hello, 100)})),
            protect(b, piece(hello, 100))}),
      (std::vector{kReading, kComplete}));
  EXPECT_EQ(message(flight), hello);
}

TEST(QuicFlight, CoalescedInitialAndZeroRtt_AndZeroRttBeforeTheInitial) {
  const Buf hello = client_hello(400);
  const Buf zero_rtt = long_packet(1, quic::kVersion1, kRfcDcid, 100);
  const Buf handshake = long_packet(2, quic::kVersion1, kRfcDcid, 40);
  Initial small;
  small.size = 600;
  ClientFlight flight;
  AppInfo out;
  // 0-RTT may be captured ahead of the Initial it follows (ndpi/quic_0RTT.pcap).
  EXPECT_EQ(feed(flight, out, {zero_rtt, cat({handshake, protect(small, piece(hello, 0))})}),
            (std::vector{kReading, kComplete}));
  ClientFlight second;
  AppInfo out2;
  EXPECT_EQ(feed(second, out2, {cat({protect(small, piece(hello, 0)), zero_rtt})}),
            std::vector{kComplete});
  EXPECT_EQ(message(second), hello);
}

TEST(QuicFlight, LaterInitialToTheServersCid_KeepsTheFirstKeys) {
  // RFC 9001 5.2: keys come from the first Initial's DCID even after the client
  // switches to the connection ID the server chose.
  const Buf hello = client_hello(1500);
  Initial first, later;
  later.dcid = from_hex("f067a5502a4262b5");
  later.keys = quic::client_initial_keys(quic::kVersion1, bytes(kRfcDcid));
  later.packet_number = 1;
  ClientFlight flight;
  AppInfo out;
  EXPECT_EQ(feed(flight, out,
                 {protect(first, piece(hello, 0, 1000)), protect(later, piece(hello, 1000))}),
            (std::vector{kReading, kComplete}));
  EXPECT_EQ(message(flight), hello);
}

TEST(QuicFlight, InitialAfterRetry_UsesKeysFromTheNewCid) {
  const Buf hello = client_hello(1500);
  Initial first, after_retry;
  after_retry.dcid = from_hex("0011223344556677aabb");
  after_retry.token = from_hex("7e7e7e7e7e7e7e7e7e7e7e7e");
  ClientFlight flight;
  AppInfo out;
  EXPECT_EQ(
      feed(flight, out,
           {protect(first, piece(hello, 0, 1000)), protect(after_retry, piece(hello, 0, 1000)),
            protect(after_retry, piece(hello, 1000))}),
      (std::vector{kReading, kReading, kComplete}));
  EXPECT_EQ(message(flight), hello);
}

TEST(QuicFlight, NewVersionAfterVersionNegotiation_StartsOver) {
  const Buf hello = client_hello(1500);
  const Buf other = client_hello(1400);
  Initial draft;
  draft.version = 0xff00001d;
  ClientFlight flight;
  AppInfo out;
  EXPECT_EQ(feed(flight, out,
                 {protect(draft, piece(other, 0, 1000)), protect(Initial{}, piece(hello, 0, 1000)),
                  protect(Initial{}, piece(hello, 1000))}),
            (std::vector{kReading, kReading, kComplete}));
  EXPECT_EQ(message(flight), hello);
  EXPECT_EQ(out.quic_version, "1");
}

TEST(QuicFlight, AnyPacketNumberLength_AndLargeNumbers) {
  const Buf hello = client_hello(200);
  for (std::size_t len = 1; len <= 4; ++len) {
    Initial s;
    s.pn_length = len;
    s.packet_number = (std::uint64_t{1} << (8 * len - 1)) - 3;
    ClientFlight flight;
    AppInfo out;
    EXPECT_EQ(feed(flight, out, {protect(s, piece(hello, 0))}), std::vector{kComplete}) << len;
  }
}

TEST(QuicFlight, PacketNumbersBeyondTheTruncatedRange_AreRecovered) {
  // RFC 9000 A.3: with 1-byte numbers the second packet (256) arrives as 0x00
  // and is decoded relative to the largest seen (255).
  const Buf hello = client_hello(1200);
  Initial a, b;
  a.pn_length = b.pn_length = 1;
  a.packet_number = 255;
  b.packet_number = 256;
  ClientFlight flight;
  AppInfo out;
  EXPECT_EQ(feed(flight, out, {protect(a, piece(hello, 0, 800)), protect(b, piece(hello, 800))}),
            (std::vector{kReading, kComplete}));
}

// ---- Caps and garbage -----------------------------------------------------------------

TEST(QuicFlight, HelloLongerThanTheCap_Fails) {
  const Buf header{0x01, 0x00, 0x40, 0x01};  // 16385-byte body
  ClientFlight flight;
  AppInfo out;
  EXPECT_EQ(feed(flight, out, {protect(Initial{}, crypto_frame(0, header))}), std::vector{kFailed});
}

TEST(QuicFlight, CryptoDataPastTheCap_Fails) {
  const Buf hello = client_hello(16 * 1024 - 4);  // exactly the cap: fine...
  const Buf tail = client_hello(100);
  ClientFlight flight;
  AppInfo out;
  EXPECT_EQ(feed(flight, out,
                 {protect(Initial{}, cat({piece(hello, 0, 10), crypto_frame(16 * 1024, tail)}))}),
            std::vector{kFailed});  // ...but nothing may lie past it
  ClientFlight huge;
  EXPECT_EQ(feed(huge, out, {protect(Initial{}, crypto_frame(std::uint64_t{1} << 40, tail))}),
            std::vector{kFailed});
}

TEST(QuicFlight, StreamThatIsNotAClientHello_Fails) {
  const Buf server_hello = from_hex("020000280303");
  ClientFlight flight;
  AppInfo out;
  EXPECT_EQ(feed(flight, out, {protect(Initial{}, crypto_frame(0, server_hello))}),
            std::vector{kFailed});
}

TEST(QuicFlight, GarbageAndShortHeaders_AreIgnored) {
  ClientFlight flight;
  AppInfo out;
  EXPECT_EQ(feed(flight, out,
                 {Buf{}, from_hex("40aabbccdd"), from_hex("c0"), from_hex("c01a2b3c4d0800"),
                  Buf(1200, 0xff), Buf(1200, 0x00)}),
            std::vector<ClientFlight::Status>(6, kReading));
  EXPECT_EQ(out.quic_version, "");
}

// ---- Captures -----------------------------------------------------------------------------

bool contains(const Buf& haystack, std::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

TEST(QuicFlight, Draft29Capture_YieldsItsClientHello) {
  ClientFlight flight;
  AppInfo out;
  EXPECT_EQ(feed(flight, out, {from_hex(kDraft29Initial)}), std::vector{kComplete});
  EXPECT_EQ(out.quic_version, "draft-29");
  EXPECT_EQ(flight.message().size(), 301u);
  EXPECT_TRUE(contains(message(flight), "localhost"));
  EXPECT_TRUE(contains(message(flight), "h3-29"));
}

TEST(QuicFlight, Draft28CaptureWithCoalesced0Rtt_YieldsItsClientHello) {
  ClientFlight flight;
  AppInfo out;
  EXPECT_EQ(feed(flight, out, {from_hex(kDraft28InitialAnd0Rtt)}), std::vector{kComplete});
  EXPECT_EQ(out.quic_version, "draft-28");
  EXPECT_EQ(flight.message().size(), 428u);
  EXPECT_TRUE(contains(message(flight), "abcd"));
  EXPECT_TRUE(contains(message(flight), "h3-32"));
}

TEST(QuicFlight, V1CaptureWithHelloInTwoInitials_Completes) {
  ClientFlight flight;
  AppInfo out;
  EXPECT_EQ(feed(flight, out, {from_hex(kV1SplitHelloFirst), from_hex(kV1SplitHelloSecond)}),
            (std::vector{kReading, kComplete}));
  EXPECT_EQ(out.quic_version, "1");
  EXPECT_EQ(flight.message().size(), 1578u);
  EXPECT_TRUE(contains(message(flight), "hq-interop"));  // the ALPN list's last entry
}

TEST(QuicFlight, GoogleQ050Capture_YieldsItsChlo) {
  ClientFlight flight;
  AppInfo out;
  EXPECT_EQ(feed(flight, out, {from_hex(kGquicQ050Chlo)}), std::vector{kComplete});
  EXPECT_FALSE(flight.message_is_tls());
  EXPECT_EQ(flight.message().size(), 1024u);
  EXPECT_EQ(out.quic_version, "Q050");
}

// ---- Google QUIC in cleartext ---------------------------------------------------------

struct Tag {
  std::string_view name;  // 3 or 4 characters
  std::string value;
};
// Chromium's handshake message: tag, entry count, padding, (tag, end offset)
// pairs, values; integers little-endian.
Buf chlo(std::initializer_list<Tag> tags) {
  Buf m = from_text("CHLO");
  m.push_back(static_cast<std::uint8_t>(tags.size()));
  m.push_back(0);
  m.insert(m.end(), {0, 0});
  std::uint32_t end = 0;
  Buf values;
  for (const Tag& t : tags) {
    Buf name = from_text(t.name);
    name.resize(4, 0);
    append(m, name);
    end += static_cast<std::uint32_t>(t.value.size());
    for (int i = 0; i < 4; ++i) m.push_back(static_cast<std::uint8_t>(end >> (8 * i)));
    append(values, from_text(t.value));
  }
  append(m, values);
  return m;
}
const Buf kChlo = chlo({{"PAD", std::string(40, '-')},
                        {"SNI", "www.example.org"},
                        {"UAID", "Chrome/85.0 Linux x86_64"},
                        {"VER", "Q043"}});

// gQUIC STREAM frame 0b1FDOOOSS with a 1-byte stream ID, `offset_bytes` of
// offset and a 2-byte data length, big-endian.
Buf stream_frame(std::uint8_t stream, std::uint64_t offset, std::size_t offset_bytes,
                 const Buf& data) {
  const std::uint8_t ooo = offset_bytes ? static_cast<std::uint8_t>(offset_bytes - 1) : 0;
  Buf f{static_cast<std::uint8_t>(0xa0 | (ooo << 2)), stream};
  for (std::size_t i = offset_bytes; i-- > 0;)
    f.push_back(static_cast<std::uint8_t>(offset >> (8 * i)));
  f.push_back(static_cast<std::uint8_t>(data.size() >> 8));
  f.push_back(static_cast<std::uint8_t>(data.size()));
  append(f, data);
  return f;
}

// Q043 public header: flags (version, 8-byte CID, 1-byte packet number), CID,
// version, packet number, 12-byte message authentication hash, frames.
Buf q043_packet(const Buf& frames, std::uint8_t pn = 1) {
  Buf p = cat({from_hex("09 0102030405060708"), from_text("Q043"), Buf{pn}, Buf(12, 0xaa), frames});
  p.resize(std::max<std::size_t>(p.size(), 1350), 0x00);
  return p;
}
Buf q046_packet(const Buf& frames) {
  Buf p = cat({from_hex("c3"), from_text("Q046"), from_hex("50 0102030405060708 00000001"),
               Buf(12, 0xaa), frames});
  p.resize(std::max<std::size_t>(p.size(), 1350), 0x00);
  return p;
}

TEST(QuicSession, GoogleQ043Chlo_YieldsSniAndUserAgent) {
  const AppInfo out =
      testing::run_session(kQuic, testing::udp_flow(443),
                           {{Direction::ToServer, q043_packet(stream_frame(1, 0, 0, kChlo))}});
  EXPECT_EQ(out.quic_version, "Q043");
  EXPECT_EQ(out.sni, "www.example.org");
  EXPECT_EQ(out.quic_user_agent, "Chrome/85.0 Linux x86_64");
}

TEST(QuicSession, GoogleQ046ChloOverTwoPackets_YieldsSni) {
  const Buf first = stream_frame(1, 0, 0, Buf(kChlo.begin(), kChlo.begin() + 50));
  const Buf second = stream_frame(1, 50, 2, Buf(kChlo.begin() + 50, kChlo.end()));
  const AppInfo out = testing::run_session(
      kQuic, testing::udp_flow(443),
      {{Direction::ToServer, q046_packet(first)}, {Direction::ToServer, q046_packet(second)}});
  EXPECT_EQ(out.quic_version, "Q046");
  EXPECT_EQ(out.sni, "www.example.org");
}

TEST(QuicSession, GoogleChloOnAnotherStream_IsIgnored) {
  const AppInfo out =
      testing::run_session(kQuic, testing::udp_flow(443),
                           {{Direction::ToServer, q043_packet(stream_frame(3, 0, 0, kChlo))}});
  EXPECT_EQ(out.quic_version, "Q043");
  EXPECT_EQ(out.sni, "");
}

TEST(QuicSession, GoogleChloValuesAreMadePrintableAndCapped) {
  const Buf c = chlo({{"SNI", std::string("a\x01\x7f") + std::string(400, 'b')}, {"UAID", "x\ny"}});
  const AppInfo out =
      testing::run_session(kQuic, testing::udp_flow(443),
                           {{Direction::ToServer, q043_packet(stream_frame(1, 0, 0, c))}});
  EXPECT_EQ(out.sni, "a??" + std::string(AppInfo::kMaxText - 3, 'b'));
  EXPECT_EQ(out.quic_user_agent, "x?y");
}

TEST(QuicSession, GoogleQ050Capture_YieldsSniAndUserAgent) {
  const AppInfo out = testing::run_session(kQuic, testing::udp_flow(443),
                                           {{Direction::ToServer, from_hex(kGquicQ050Chlo)}});
  EXPECT_EQ(out.quic_version, "Q050");
  EXPECT_EQ(out.sni, "www.gstatic.com");
  EXPECT_EQ(out.quic_user_agent, "canary Chrome/85.0.4169.0 Windows NT 10.0; Win64; x64");
}

TEST(QuicSession, EveryTruncationOfACleartextChlo_IsSafeAndNeverWrong) {
  const Buf whole = q043_packet(stream_frame(1, 0, 0, kChlo));
  const std::size_t full = 26 + 4 + kChlo.size();  // header, frame header, message
  for (std::size_t n = 0; n < full; ++n) {
    const Buf cut(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(n));
    const AppInfo out =
        testing::run_session(kQuic, testing::udp_flow(443), {{Direction::ToServer, cut}});
    EXPECT_TRUE(out.sni.empty() || out.sni == "www.example.org") << n;
    EXPECT_TRUE(out.quic_user_agent.empty()) << n;  // UAID comes after SNI: never half a UA
  }
  const Buf cut(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(full));
  const AppInfo out =
      testing::run_session(kQuic, testing::udp_flow(443), {{Direction::ToServer, cut}});
  EXPECT_EQ(out.sni, "www.example.org");
  EXPECT_EQ(out.quic_user_agent, "Chrome/85.0 Linux x86_64");
}

TEST(QuicSession, MalformedChloIndexes_AreRejected) {
  Buf bad_order = kChlo;
  bad_order[8 + 8 + 4] = 0x01;  // second entry ends before the first
  Buf too_many = kChlo;
  too_many[4] = 0xff;  // 255 entries (> Chromium's 128)
  for (const Buf& c : {bad_order, too_many}) {
    const AppInfo out =
        testing::run_session(kQuic, testing::udp_flow(443),
                             {{Direction::ToServer, q043_packet(stream_frame(1, 0, 0, c))}});
    EXPECT_EQ(out.sni, "");
  }
}

// ---- The dissector ---------------------------------------------------------------------

TEST(QuicSession, DoneOnceTheHelloIsComplete) {
  const Buf hello = client_hello(1500);
  Initial b;
  b.packet_number = 1;
  auto session = kQuic.make_session();
  testing::RecordingSinks sinks;
  AppInfo out;
  const FlowInfo flow = testing::udp_flow(443);
  const auto feed_one = [&](Direction dir, const Buf& d) {
    return session->feed(Context{flow, dir, core::Timestamp{1}, sinks, sinks, out}, bytes(d));
  };
  EXPECT_EQ(feed_one(Direction::ToServer, protect(Initial{}, piece(hello, 0, 1000))),
            Progress::More);
  EXPECT_EQ(feed_one(Direction::ToClient, Buf(300, 0x42)), Progress::More);
  EXPECT_EQ(feed_one(Direction::ToServer, protect(b, piece(hello, 1000))), Progress::Done);
  EXPECT_EQ(out.quic_version, "1");
}

TEST(QuicSession, GivesUpAfterAFewClientDatagramsWithoutAHello) {
  auto session = kQuic.make_session();
  testing::RecordingSinks sinks;
  AppInfo out;
  const FlowInfo flow = testing::udp_flow(443);
  const Buf one_rtt = from_hex("4f0102030405060708aabbccddeeff");
  int fed = 0;
  Progress p = Progress::More;
  while (p == Progress::More && fed < 100) {
    p = session->feed(Context{flow, Direction::ToServer, core::Timestamp{1}, sinks, sinks, out},
                      bytes(one_rtt));
    ++fed;
  }
  EXPECT_EQ(p, Progress::Done);
  EXPECT_LE(fed, 8);
}

TEST(QuicSession, ServerOnlyCapture_StillNamesTheVersion) {
  const Buf server_initial = long_packet(0, 0xff00001d, {}, 100);
  const AppInfo out =
      testing::run_session(kQuic, testing::udp_flow(443), {{Direction::ToClient, server_initial}});
  EXPECT_EQ(out.quic_version, "draft-29");
}

TEST(QuicSession, RfcInitial_DoneWithTheHelloHandedToTls) {
  // tls::parse_client_hello fills sni/alpn/ja4; here we only see the session finish.
  auto session = kQuic.make_session();
  testing::RecordingSinks sinks;
  AppInfo out;
  const FlowInfo flow = testing::udp_flow(443);
  const Buf initial = from_hex(kRfc9001ClientInitial);
  EXPECT_EQ(session->feed(Context{flow, Direction::ToServer, core::Timestamp{1}, sinks, sinks, out},
                          bytes(initial)),
            Progress::Done);
}

Match probe(const Buf& b, Direction dir = Direction::ToServer) {
  return testing::probe(kQuic, testing::udp_flow(443), dir, b);
}

TEST(QuicProbe, KnownLongHeaders_AreQuic) {
  EXPECT_EQ(kQuic.proto, "QUIC");
  EXPECT_EQ(kQuic.transports, kUdp);
  EXPECT_EQ(probe(from_hex(kRfc9001ClientInitial)), Match::Yes);
  EXPECT_EQ(probe(from_hex(kRfc9369ClientInitial)), Match::Yes);
  EXPECT_EQ(probe(from_hex(kDraft29Initial)), Match::Yes);
  EXPECT_EQ(probe(from_hex(kGquicQ050Chlo)), Match::Yes);
  EXPECT_EQ(probe(long_packet(1, quic::kVersion1, kRfcDcid, 60)), Match::Yes);  // 0-RTT
  EXPECT_EQ(probe(long_packet(2, 0xff000022, {}, 60), Direction::ToClient), Match::Yes);
  EXPECT_EQ(probe(q043_packet(stream_frame(1, 0, 0, kChlo))), Match::Yes);
  EXPECT_EQ(probe(q046_packet(stream_frame(1, 0, 0, kChlo))), Match::Yes);
}

TEST(QuicProbe, VersionNegotiationListingAKnownVersion_IsQuic) {
  const Buf vn = from_hex("80 00000000 08 0102030405060708 00 1a2a3a4a 00000001 6b3343cf");
  EXPECT_EQ(probe(vn, Direction::ToClient), Match::Yes);
  EXPECT_EQ(probe(from_hex("80 00000000 00 00 1a2a3a4a 0a0b0c0d"), Direction::ToClient), Match::No);
  EXPECT_EQ(probe(from_hex("80 00000000 00 00 000000"), Direction::ToClient), Match::No);
  EXPECT_EQ(probe(from_hex("80 00000000 00 00"), Direction::ToClient), Match::No);
}

TEST(QuicProbe, GreaseVersionInAFullSizeInitial_IsQuic) {
  // RFC 9000 15: a client may force Version Negotiation with a 0x?a?a?a?a version.
  Buf grease = from_hex(kRfc9001ClientInitial);
  grease[1] = 0x1a, grease[2] = 0x2a, grease[3] = 0x3a, grease[4] = 0x4a;
  EXPECT_EQ(probe(grease), Match::Yes);
  EXPECT_EQ(probe(Buf(grease.begin(), grease.begin() + 1199)), Match::No);
  ClientFlight flight;
  AppInfo out;
  EXPECT_EQ(feed(flight, out, {grease, from_hex(kRfc9001ClientInitial)}),
            (std::vector{kReading, kComplete}));
  EXPECT_EQ(out.quic_version, "1");
}

TEST(QuicProbe, ShortHeadersUnknownVersionsAndGarbage_AreNot) {
  EXPECT_EQ(probe({}), Match::No);
  EXPECT_EQ(probe(from_hex("c0")), Match::No);
  EXPECT_EQ(probe(from_hex("c0000000")), Match::No);
  EXPECT_EQ(probe(from_hex("4f0102030405060708aabbccddeeff")), Match::No);  // 1-RTT
  EXPECT_EQ(probe(long_packet(0, 0x1a2a3a4a, kRfcDcid, 60)), Match::No);
  EXPECT_EQ(probe(long_packet(0, 0xff000016, kRfcDcid, 60)), Match::No);  // draft-22
  EXPECT_EQ(probe(Buf(1200, 0xff)), Match::No);
  EXPECT_EQ(probe(Buf(1200, 0x00)), Match::No);
  EXPECT_EQ(probe(from_text("GET / HTTP/1.1\r\nHost: x\r\n\r\n")), Match::No);
  Buf no_fixed_bit = from_hex(kRfc9001ClientInitial);
  no_fixed_bit[0] &= 0xbf;
  EXPECT_EQ(probe(no_fixed_bit), Match::No);
  Buf long_cid = from_hex(kRfc9001ClientInitial);
  long_cid[5] = 21;
  EXPECT_EQ(probe(long_cid), Match::No);
  const Buf initial = from_hex(kRfc9001ClientInitial);
  EXPECT_EQ(probe(Buf(initial.begin(), initial.begin() + 8)), Match::No);  // cut inside the DCID
}

TEST(QuicProbe, EveryPrefixOfEveryFixture_NeverCrashes) {
  for (const std::string_view hex : {kRfc9001ClientInitial, kGquicQ050Chlo}) {
    const Buf whole = from_hex(hex);
    for (std::size_t n = 0; n <= 64; ++n) {
      const Buf cut(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(n));
      const Match m = probe(cut);
      EXPECT_EQ(m == Match::Yes, n >= 15) << n;  // 15: through the SCID length
    }
  }
}

}  // namespace
}  // namespace wiretop::dpi
