/* Mueve — Open Location Code (plus codes) on the phone: encode and shorten, the same integer arithmetic as
 * mueve/rural_addresses/olc.py, so the phone and the server give one code for one point. */
(function (scope) {
  "use strict";
  var ALPHABET = "23456789CFGHJMPQRVWX";
  var LAT_PRECISION = 25000000;
  var LNG_PRECISION = 8192000;

  function encode(lat, lng) {
    lat = Math.min(90, Math.max(-90, lat));
    if (lng < -180 || lng >= 180) lng = ((lng + 180) % 360 + 360) % 360 - 180;
    var latVal = Math.floor(Math.round((lat + 90) * LAT_PRECISION * 1e6) / 1e6);
    var lngVal = Math.floor(Math.round((lng + 180) * LNG_PRECISION * 1e6) / 1e6);
    latVal = Math.min(latVal, 180 * LAT_PRECISION - 1);
    lngVal = Math.min(Math.max(lngVal, 0), 360 * LNG_PRECISION - 1);
    latVal = Math.floor(latVal / 3125);
    lngVal = Math.floor(lngVal / 1024);
    var digits = [];
    for (var i = 0; i < 5; i++) {
      digits.unshift(ALPHABET.charAt(latVal % 20), ALPHABET.charAt(lngVal % 20));
      latVal = Math.floor(latVal / 20);
      lngVal = Math.floor(lngVal / 20);
    }
    var code = digits.join("");
    return code.slice(0, 8) + "+" + code.slice(8);
  }

  function center(code) {
    var digits = code.replace("+", "");
    var lat = 0, lng = 0, step = 20;
    for (var i = 0; i < 10; i += 2) {
      lat += ALPHABET.indexOf(digits.charAt(i)) * step;
      lng += ALPHABET.indexOf(digits.charAt(i + 1)) * step;
      if (i < 8) step /= 20;
    }
    return [lat - 90 + step / 2, lng - 180 + step / 2];
  }

  /* The code without the first digits a locality's centre gives back (as olc.shorten on the server). */
  function shorten(code, lat, lng) {
    var c = center(code);
    var range = Math.max(Math.abs(c[0] - lat), Math.abs(c[1] - lng));
    var resolutions = [20, 1, 0.05, 0.0025, 0.000125];
    for (var i = 3; i >= 1; i--) {
      if (range < resolutions[i] * 0.3) return code.slice((i + 1) * 2);
    }
    return code;
  }

  scope.MueveOLC = { encode: encode, shorten: shorten };
})(self);
