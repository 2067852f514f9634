// What every test page publishes as window.result (read by play.js): the video element's state and quality,
// the player's errors and events, once the video ended, failed, or the page gave up. Loaded before the page's
// own script, which uses params, video, errors, state and finish().
"use strict";
const params = new URLSearchParams(location.search);
const video = document.getElementById("video");
const errors = [];
const state = { mode: params.get("mode"), errors, events: [] };

function finish(reason) {
  if (window.result) return;
  const quality = video.getVideoPlaybackQuality ? video.getVideoPlaybackQuality() : {};
  window.result = Object.assign(state, {
    reason,
    ended: video.ended,
    duration: video.duration,
    currentTime: video.currentTime,
    decodedFrames: quality.totalVideoFrames || 0,
    droppedFrames: quality.droppedVideoFrames || 0,
    mediaError: video.error ? `${video.error.code}: ${video.error.message}` : null,
  });
}

video.addEventListener("ended", () => finish("ended"));
video.addEventListener("error", () => { errors.push("video element error"); finish("video error"); });
